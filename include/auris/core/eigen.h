// Eigen aliases used across auris. Features and activations are float32;
// a feature matrix has one row per frame.
#pragma once

#include <Eigen/Core>

namespace auris {

using Matrix = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using Vector = Eigen::VectorXf;     // column vector
using RowVector = Eigen::RowVectorXf;
using MatrixD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

}  // namespace auris
