"""The rooms and who imports whom, read from the code: a Graphviz graph on standard output.

One node per top-level app of `[tool.importlinter] root_packages` in pyproject.toml, one edge
per app that imports another, labelled with how many module-to-module imports it carries.
An edge that a layering contract forbids is drawn red and dashed, so a broken contract shows
where it breaks. `make diagram` writes it to docs/diagrams/rooms.dot (and .png).
"""

import sys
import tomllib
from collections import Counter
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent


def _config() -> dict:
    with open(ROOT / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["tool"]["importlinter"]


def package_imports(packages: list[str]) -> Counter[tuple[str, str]]:
    """(importer, imported) app pairs and the number of module imports between them."""
    graph = grimp.build_graph(*packages, cache_dir=None)
    edges: Counter[tuple[str, str]] = Counter()
    for module in graph.modules:
        importer = module.split(".")[0]
        for imported_module in graph.find_modules_directly_imported_by(module):
            imported = imported_module.split(".")[0]
            if imported != importer:
                edges[importer, imported] += 1
    return edges


def forbidden_pairs(contracts: list[dict]) -> set[tuple[str, str]]:
    """The app pairs the forbidden and independence contracts rule out."""
    pairs = set()
    for contract in contracts:
        if contract["type"] == "forbidden":
            pairs |= {
                (source, forbidden)
                for source in contract["source_modules"]
                for forbidden in contract["forbidden_modules"]
            }
        elif contract["type"] == "independence":
            pairs |= {(a, b) for a in contract["modules"] for b in contract["modules"] if a != b}
    return pairs


FORBIDDEN_STYLE = ", color=red, fontcolor=red, style=dashed"


def dot(packages: list[str], edges: Counter, forbidden: set[tuple[str, str]]) -> str:
    lines = [
        "digraph rooms {",
        '  node [shape=box, style=rounded, fontname="sans-serif"];',
        '  edge [fontname="sans-serif", fontsize=10];',
    ]
    lines += [f'  "{package}";' for package in packages]
    for (importer, imported), count in sorted(edges.items()):
        style = FORBIDDEN_STYLE if (importer, imported) in forbidden else ""
        lines.append(f'  "{importer}" -> "{imported}" [label="{count}"{style}];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def main() -> None:
    sys.path.insert(0, str(ROOT))
    config = _config()
    packages = config["root_packages"]
    edges = package_imports(packages)
    sys.stdout.write(dot(packages, edges, forbidden_pairs(config.get("contracts", []))))


if __name__ == "__main__":
    main()
