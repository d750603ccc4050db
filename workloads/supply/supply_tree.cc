#include "workloads/supply/supply_tree.h"

#include <algorithm>

#include "workloads/supply/supply_epc.h"

namespace hlsim::supply {

Tree unit_tree(std::uint64_t epc, std::uint32_t lot, TimeNs expiry_ns) {
  return Tree{TreeNode{epc, 0, lot, expiry_ns}};
}

Tree pack(std::uint64_t parent, const std::vector<Tree>& children) {
  std::size_t nodes = 1;
  for (const Tree& c : children) nodes += c.size();
  Tree out;
  out.reserve(nodes);
  out.push_back(TreeNode{parent, static_cast<std::uint32_t>(children.size()), 0, 0});
  for (const Tree& c : children) out.insert(out.end(), c.begin(), c.end());
  return out;
}

std::size_t subtree_end(const Tree& tree, std::size_t i) {
  std::uint64_t open = 1;
  while (open > 0 && i < tree.size()) {
    open += tree[i].child_count;
    --open;
    ++i;
  }
  return i;
}

std::vector<Tree> child_subtrees(const Tree& tree) {
  std::vector<Tree> out;
  if (tree.empty()) return out;
  out.reserve(tree.front().child_count);
  std::size_t i = 1;
  while (i < tree.size()) {
    const std::size_t end = subtree_end(tree, i);
    out.emplace_back(tree.begin() + static_cast<std::ptrdiff_t>(i),
                     tree.begin() + static_cast<std::ptrdiff_t>(end));
    i = end;
  }
  return out;
}

int tree_height(const Tree& tree) {
  // Depth of each node from a stack of the child counts still open above it.
  std::vector<std::uint32_t> open;
  int height = 0;
  for (const TreeNode& n : tree) {
    while (!open.empty() && open.back() == 0) open.pop_back();
    if (!open.empty()) --open.back();
    height = std::max(height, static_cast<int>(open.size()));
    if (n.child_count > 0) open.push_back(n.child_count);
  }
  return height;
}

std::size_t units_in(const Tree& tree) {
  return static_cast<std::size_t>(std::count_if(
      tree.begin(), tree.end(), [](const TreeNode& n) { return !is_container(n.epc); }));
}

}  // namespace hlsim::supply
