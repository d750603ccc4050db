// The groups and text attributes of results files (h5_groups.h).
#include "sim/results/h5_groups.h"

#include <algorithm>

namespace hlsim {

H5::Group make_group(H5::CommonFG& parent, const std::string& name) {
  H5::PropList gcpl(H5Pcreate(H5P_GROUP_CREATE));
  H5Pset_obj_track_times(gcpl.getId(), false);
  const hid_t id =
      H5Gcreate2(parent.getLocId(), name.c_str(), H5P_DEFAULT, gcpl.getId(), H5P_DEFAULT);
  if (id < 0) throw H5::GroupIException("make_group", "cannot create group " + name);
  return H5::Group(id);
}

void attr_text(H5::H5Object& obj, const char* name, const std::string& value) {
  if (value.size() > kMaxFixedTextAttrBytes) {
    // Variable length: the object header holds a reference and the text lives in the file's
    // global heap, which has no size limit.
    const H5::StrType vlen(H5::PredType::C_S1, H5T_VARIABLE);
    H5::Attribute a = obj.createAttribute(name, vlen, H5::DataSpace(H5S_SCALAR));
    a.write(vlen, value);
    return;
  }
  H5::StrType t(H5::PredType::C_S1, std::max<std::size_t>(1, value.size()));
  H5::Attribute a = obj.createAttribute(name, t, H5::DataSpace(H5S_SCALAR));
  a.write(t, value.empty() ? std::string(" ") : value);
}

}  // namespace hlsim
