#!/usr/bin/env bash
# Compares the whole `bascule build` of the repo's inventory with Graphviz drawing two
# comparable pictures (three clusters of boxes with four-line labels and coloured 3 px
# borders: 18 boxes like annexe 1, 6 like annexe 2) to PNG at 144 dpi.
# Needs: apt-get install graphviz hyperfine. Run from the repo root after
# `cargo build --release`. Figures go to BENCHMARKS.md by hand.
set -euo pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
dotfile() { # $1 = boxes per state
  echo 'digraph annexe { rankdir=LR; node [shape=box, penwidth=3, fontname="DejaVu Sans"];'
  for s in 1 2 3; do
    echo "  subgraph cluster_$s { label=\"État $s\";"
    for v in $(seq 1 "$1"); do
      echo "    n${s}_$v [color=\"#c62828\", label=\"machine$v\\nDNS : vm$v.cegepadistance.ca\\nIP : 10.88.0.$v\\nServeur fichiers de production\"];"
    done
    echo '  }'
  done
  echo '}'
}
dotfile 6 > "$tmp/a1.dot"
dotfile 2 > "$tmp/a2.dot"
hyperfine -N --warmup 3 --runs 20 \
  "dot -Tpng -Gdpi=144 -o $tmp/a1.png $tmp/a1.dot" \
  "dot -Tpng -Gdpi=144 -o $tmp/a2.png $tmp/a2.dot" \
  "./target/release/bascule build --out $tmp/out" \
  "./target/release/bascule check --out out"
