#!/usr/bin/env python3
"""Reference oracle for internal/matching (package networkx embeds it).

Reads JSON from stdin: {"graphs": [{"n": N, "edges": [[u, v, w], ...]}, ...]}
and prints, one line per graph, the total weight of
networkx.max_weight_matching(G) (maxcardinality=False), computed by summing
the weights of the returned matching's edges. Exits non-zero (status 3) if
networkx cannot be imported, so the Go test can tell "missing" from "broken".
"""
import json
import sys

try:
    import networkx as nx
except ImportError as exc:  # pragma: no cover - environment dependent
    print("networkx not importable: %s" % exc, file=sys.stderr)
    sys.exit(3)


def main():
    data = json.load(sys.stdin)
    out = []
    for g in data["graphs"]:
        G = nx.Graph()
        G.add_nodes_from(range(g["n"]))
        for u, v, w in g["edges"]:
            G.add_edge(u, v, weight=w)
        matching = nx.max_weight_matching(G, maxcardinality=False)
        total = sum(G[u][v]["weight"] for u, v in matching)
        out.append(str(total))
    sys.stdout.write("\n".join(out) + ("\n" if out else ""))


if __name__ == "__main__":
    main()
