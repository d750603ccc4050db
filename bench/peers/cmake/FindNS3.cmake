# FindNS3: ns-3's core library (the Simulator and its schedulers), for bench/peers.
# Defines NS3_FOUND, NS3_VERSION and the imported target NS3::core.
#
# ns-3 ships a CMake package (ns3Config.cmake) and pkg-config files, but on Debian 12
# (libns3-dev 3.37) neither is usable as installed: the CMake package names programs that the
# -dev package does not install (find_package(ns3) fails), and ns3-core.pc has a malformed Cflags
# entry and names libgsl.so, which only libgsl-dev installs. So this finds the header and the
# library directly.
find_path(NS3_INCLUDE_DIR NAMES ns3/simulator.h ns3/version-defines.h)
find_library(NS3_CORE_LIBRARY NAMES ns3-core ns3.37-core-default ns3-core-default)

if(NS3_INCLUDE_DIR AND EXISTS "${NS3_INCLUDE_DIR}/ns3/version-defines.h")
  file(STRINGS "${NS3_INCLUDE_DIR}/ns3/version-defines.h" _ns3_ver
       REGEX "^#define NS3_VERSION_(MAJOR|MINOR|PATCH) [0-9]+")
  string(REGEX REPLACE ".*NS3_VERSION_MAJOR ([0-9]+).*" "\\1" _ns3_major "${_ns3_ver}")
  string(REGEX REPLACE ".*NS3_VERSION_MINOR ([0-9]+).*" "\\1" _ns3_minor "${_ns3_ver}")
  set(NS3_VERSION "${_ns3_major}.${_ns3_minor}")
endif()

include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(NS3 REQUIRED_VARS NS3_CORE_LIBRARY NS3_INCLUDE_DIR
                                  VERSION_VAR NS3_VERSION)
if(NS3_FOUND AND NOT TARGET NS3::core)
  add_library(NS3::core UNKNOWN IMPORTED)
  set_target_properties(NS3::core PROPERTIES IMPORTED_LOCATION "${NS3_CORE_LIBRARY}"
                        INTERFACE_INCLUDE_DIRECTORIES "${NS3_INCLUDE_DIR}")
endif()
mark_as_advanced(NS3_INCLUDE_DIR NS3_CORE_LIBRARY)
