#pragma once
/// Umbrella header: everything a user of the rbig library needs.

#include <rbig/cancel.hpp>
#include <rbig/coupling.hpp>
#include <rbig/dequantize.hpp>
#include <rbig/error.hpp>
#include <rbig/info.hpp>
#include <rbig/io.hpp>
#include <rbig/layer.hpp>
#include <rbig/mapped_input.hpp>
#include <rbig/mapped_matrix.hpp>
#include <rbig/marginal.hpp>
#include <rbig/model.hpp>
#include <rbig/npy.hpp>
#include <rbig/options.hpp>
#include <rbig/radial.hpp>
#include <rbig/tree.hpp>
#include <rbig/rotation.hpp>
#include <rbig/threads.hpp>
#include <rbig/types.hpp>
#include <rbig/version.hpp>
