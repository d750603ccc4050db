// The groups and text attributes every hlsim results file is made of (runs and sweeps alike).
//
// Text attributes are fixed-length strings up to kMaxFixedTextAttrBytes and variable-length
// strings beyond: an attribute is kept in its object's header, which holds at most 64 KiB, and a
// run's summary outgrows that (it has a row per node: a 256-node run's JSON is several hundred
// KiB). Any HDF5 reader reads both kinds as strings (h5py: bytes for fixed, str for variable).
#pragma once

#include <H5Cpp.h>

#include <cstddef>
#include <string>

namespace hlsim {

inline constexpr std::size_t kMaxFixedTextAttrBytes = 32 * 1024;

// Creates group `name` under `parent`: no modification times (so that equal runs give equal
// bytes). Throws H5::GroupIException naming the group on failure.
H5::Group make_group(H5::CommonFG& parent, const std::string& name);

// Writes `value` as a string attribute: fixed length (an empty value is stored as one space: HDF5
// has no zero-length fixed strings) or, over kMaxFixedTextAttrBytes, variable length.
void attr_text(H5::H5Object& obj, const char* name, const std::string& value);

}  // namespace hlsim
