// The extension module auris._auris. C++ errors (auris::Error) become
// auris.Error, a ValueError; the Python package adds the friendly API.
#include <pybind11/pybind11.h>

#include "auris/core/error.h"
#include "bindings.h"

PYBIND11_MODULE(_auris, m) {
  namespace py = pybind11;
  m.doc() = "auris C++ core (use the auris package, not this module)";
  m.attr("__version__") = AURIS_VERSION;
  py::register_exception<auris::Error>(m, "Error", PyExc_ValueError);
  auris::python::BindFeatures(m);
  auris::python::BindIo(m);
  auris::python::BindRecognizer(m);
  auris::python::BindStream(m);
}
