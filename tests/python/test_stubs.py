"""The type stubs (auris/__init__.pyi) name what the package exports, with
the runtime's parameter names; help() has something to say about each."""
import ast
import inspect
import pydoc

import auris
from conftest import SOURCE_DIR

STUBS = ast.parse((SOURCE_DIR / "python" / "auris" / "__init__.pyi").read_text())


def stub_definitions():
    """{name: node} of the stubs' top-level classes and functions, and
    {(class, method): node}."""
    top, methods = {}, {}
    for node in STUBS.body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            top.setdefault(node.name, node)
        if isinstance(node, ast.ClassDef):
            for item in node.body:
                if isinstance(item, ast.FunctionDef):
                    methods.setdefault((node.name, item.name), item)
    return top, methods


def parameters(node):
    a = node.args
    return [p.arg for p in a.posonlyargs + a.args + a.kwonlyargs if p.arg not in ("self", "cls")]


def test_every_export_has_a_stub_and_a_docstring():
    top, _ = stub_definitions()
    annotated = {n.target.id for n in STUBS.body if isinstance(n, ast.AnnAssign)}
    for name in auris.__all__:
        assert name in top or name in annotated, f"{name} has no stub"
        if name != "__version__":
            assert inspect.getdoc(getattr(auris, name)), f"{name} has no docstring"
    assert "Recognizer" in pydoc.render_doc(auris.Recognizer) and "lm" in pydoc.render_doc(auris.Recognizer.transcribe)


def named_parameters(function):
    """Parameter names but self and *args / **kwargs, and whether it has **kwargs."""
    params = inspect.signature(function).parameters.values()
    names = [p.name for p in params if p.name != "self" and p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD)]
    return names, any(p.kind == p.VAR_KEYWORD for p in params)


def test_stub_parameters_equal_runtime():
    top, methods = stub_definitions()
    pairs = [(name, node, getattr(auris, name)) for name, node in top.items()
             if isinstance(node, ast.FunctionDef) and hasattr(auris, name)]
    pairs += [(f"{cls}.{method}", node, getattr(getattr(auris, cls), method)) for (cls, method), node in methods.items()
              if hasattr(getattr(auris, cls, None), method)]
    checked = 0
    for name, node, runtime in pairs:
        if not inspect.isfunction(runtime):
            continue  # C++ (pybind11) or inherited slot wrappers
        names, var_keyword = named_parameters(runtime)
        stub = parameters(node)
        # A runtime **options may be spelled out in the stub (KeywordSpotter).
        assert (stub[:len(names)] if var_keyword else stub) == names, (name, stub, names)
        checked += 1
    assert checked >= 15, checked
