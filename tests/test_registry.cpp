// The marginal type registry: a user-defined type registers once and then saves and loads inside
// a model like the built-in ones; clashes and unknown types are refused by name.

#include <rbig/byte_codec.hpp>
#include <rbig/error.hpp>
#include <rbig/layer.hpp>
#include <rbig/model.hpp>
#include <rbig/registry.hpp>

#include <doctest/doctest.h>

#include <cmath>

using namespace rbig;

namespace {

/// A test-only marginal: z = sinh⁻¹(a·x), strictly increasing, with an exact inverse.
class AsinhMarginal final : public MarginalTransform {
 public:
  explicit AsinhMarginal(double a, std::string name = "test_asinh")
      : a_(a), name_(std::move(name)) {}
  std::string_view type_name() const override { return name_; }
  std::unique_ptr<MarginalTransform> clone() const override {
    return std::make_unique<AsinhMarginal>(a_, name_);
  }
  void fit(ConstVectorRef x) override {
    a_ = 1.0 / std::sqrt(x.squaredNorm() / static_cast<double>(x.size()));
  }
  void forward(ConstVectorRef x, VectorRef z) const override {
    for (Index i = 0; i < x.size(); ++i) z[i] = std::asinh(a_ * x[i]);
  }
  void inverse(ConstVectorRef z, VectorRef x) const override {
    for (Index i = 0; i < z.size(); ++i) x[i] = std::sinh(z[i]) / a_;
  }
  void log_derivative(ConstVectorRef x, VectorRef out) const override {
    for (Index i = 0; i < x.size(); ++i) {
      out[i] = std::log(a_) - 0.5 * std::log1p(a_ * a_ * x[i] * x[i]);
    }
  }
  void forward_with_log_derivative(ConstVectorRef x, VectorRef z,
                                   VectorRef derivative) const override {
    log_derivative(x, derivative);  // before z, which may alias x, is written
    forward(x, z);
  }
  void write(ByteWriter& out) const override { out.put(a_); }
  double a() const { return a_; }

 private:
  double a_;
  std::string name_;
};

void register_asinh_once() {
  if (find_marginal_type("test_asinh") != nullptr) return;
  register_marginal_type({200,
                          "test_asinh",
                          [](ByteReader& in) {
                            return std::unique_ptr<MarginalTransform>(
                                std::make_unique<AsinhMarginal>(in.get<double>()));
                          },
                          {}});
}

Model asinh_model() {
  std::vector<std::unique_ptr<MarginalTransform>> marginals;
  marginals.push_back(std::make_unique<AsinhMarginal>(0.5));
  marginals.push_back(std::make_unique<AsinhMarginal>(2.0));
  std::vector<Layer> layers;
  layers.emplace_back(std::move(marginals), Rotation::random(2, 9));
  return Model::from_layers(std::move(layers));
}

}  // namespace

TEST_CASE("registry: rbig's own marginal types are registered under their file ids") {
  for (const auto& [id, name] : std::vector<std::pair<int, std::string>>{
           {0, "histogram"}, {1, "gaussian"}, {2, "kde"}, {3, "spline"}, {255, "damped"}}) {
    const MarginalType* type = find_marginal_type(static_cast<std::uint8_t>(id));
    REQUIRE(type != nullptr);
    CHECK(type->name == name);
    CHECK(find_marginal_type(name) == type);
  }
  CHECK(find_marginal_type(std::uint8_t{77}) == nullptr);
}

TEST_CASE("registry: a user-defined marginal type saves and loads inside a model") {
  register_asinh_once();
  const Model model = asinh_model();
  const Model loaded = Model::from_bytes(model.to_bytes());
  const auto& marginal = dynamic_cast<const AsinhMarginal&>(loaded.layers()[0].marginal(1));
  CHECK(marginal.a() == 2.0);
  Matrix x(3, 2);
  x << 0.1, -2.0, 3.0, 0.5, -7.0, 1e3;
  CHECK((loaded.log_prob(x) - model.log_prob(x)).cwiseAbs().maxCoeff() == 0.0);
  CHECK((model.inverse(model.transform(x)) - x).cwiseAbs().maxCoeff() < 1e-9 * 1e3);
}

TEST_CASE("registry: taken ids and names, and unregistered types, are refused by name") {
  register_asinh_once();
  const auto reader = [](ByteReader&) -> std::unique_ptr<MarginalTransform> { return nullptr; };
  CHECK_THROWS_WITH_AS(register_marginal_type({2, "other", reader, {}}),
                       doctest::Contains("already taken by \"kde\""), OptionError);
  CHECK_THROWS_WITH_AS(register_marginal_type({201, "test_asinh", reader, {}}),
                       doctest::Contains("already taken"), OptionError);
  CHECK_THROWS_AS(register_marginal_type({202, "no_reader", nullptr, {}}), OptionError);
  std::vector<std::unique_ptr<MarginalTransform>> marginals;
  marginals.push_back(std::make_unique<AsinhMarginal>(1.0, "test_unregistered"));
  std::vector<Layer> layers;
  layers.emplace_back(std::move(marginals), Rotation::random(1, 1));
  CHECK_THROWS_WITH_AS(Model::from_layers(std::move(layers)).to_bytes(),
                       doctest::Contains("unregistered type \"test_unregistered\""), Error);
}
