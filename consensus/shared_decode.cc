// MessageDecodeMemo (shared_decode.h).
#include "consensus/shared_decode.h"

namespace hlsim {

std::shared_ptr<const void> MessageDecodeMemo::find(const Message& msg,
                                                    const std::type_info& type) {
  if (capacity_ == 0 || !msg.body) return nullptr;
  const auto it = entries_.find(msg.body.get());
  if (it == entries_.end() || it->second.message_type != msg.type || *it->second.type != type) {
    ++misses_;
    return nullptr;
  }
  ++hits_;
  return it->second.value;
}

void MessageDecodeMemo::insert(const Message& msg, const std::type_info& type,
                               std::shared_ptr<const void> value) {
  if (capacity_ == 0 || !msg.body || !value) return;
  const auto [it, inserted] =
      entries_.try_emplace(msg.body.get(), Entry{msg.body, msg.type, &type, std::move(value)});
  if (!inserted) return;
  order_.push_back(msg.body.get());
  if (order_.size() > capacity_) {
    entries_.erase(order_.front());
    order_.pop_front();
  }
}

}  // namespace hlsim
