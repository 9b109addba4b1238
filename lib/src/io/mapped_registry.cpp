#include "io/mapped_registry.hpp"

#include <algorithm>
#include <mutex>
#include <vector>

namespace rbig::detail {
namespace {

struct Registry {
  std::mutex mutex;
  std::vector<const MappedMatrix*> live;
};

Registry& registry() {
  static Registry instance;
  return instance;
}

}  // namespace

void register_mapped(const MappedMatrix* matrix) {
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  r.live.push_back(matrix);
}

void move_mapped(const MappedMatrix* from, const MappedMatrix* to) {
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  std::replace(r.live.begin(), r.live.end(), from, to);
}

void unregister_mapped(const MappedMatrix* matrix) {
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  r.live.erase(std::remove(r.live.begin(), r.live.end(), matrix), r.live.end());
}

const MappedMatrix* find_mapped(ConstMatrixRef x) {
  if (x.size() == 0 || x.outerStride() != x.rows()) return nullptr;
  Registry& r = registry();
  const std::lock_guard<std::mutex> lock(r.mutex);
  for (const MappedMatrix* matrix : r.live) {
    if (matrix->view().data() == x.data() && matrix->rows() == x.rows() &&
        matrix->cols() == x.cols())
      return matrix;
  }
  return nullptr;
}

}  // namespace rbig::detail
