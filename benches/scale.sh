#!/usr/bin/env bash
# Scale: time and peak memory of `bascule build` on generated inventories of N instances x 20
# VMs (`bascule sample`), the rebuild after a one-word edit, `check` without `--out`, and
# Graphviz drawing the same number of pictures of 20 boxes at 144 dpi.
# Needs: apt-get install graphviz hyperfine time poppler-utils. Run from the repo root after `cargo build
# --release`. Figures go to BENCHMARKS.md by hand.
set -euo pipefail
bin=${BASCULE_BIN:-./target/release/bascule}
bin=$(realpath "$bin")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

# Peak resident memory (MB) and wall time (s) of one run: GNU time's %M is in KiB.
peak() {
  /usr/bin/time -f '%e s, %M KiB' "$@" 2>&1 >/dev/null | tail -1 \
    | awk '{printf "%s s, %.0f MB\n", $1, $3 / 1024}'
}

echo "== build, by size (N instances x 20 VMs): wall time and peak memory of one run"
for n in 1 10 20 40 100; do
  "$bin" sample --instances "$n" --vms 20 > "inv-$n.yaml"
  rm -rf "out-$n"
  "$bin" build --inventory "inv-$n.yaml" --out "out-$n" >/dev/null 2>&1 # first build: every PNG drawn
  rm -rf "out-$n"
  printf '%4s x 20, first build:    ' "$n"
  peak "$bin" build --inventory "inv-$n.yaml" --out "out-$n"
  printf '%4s x 20, rebuild (same): ' "$n"
  peak "$bin" build --inventory "inv-$n.yaml" --out "out-$n"
  printf '%4s x 20, check (no out): ' "$n"
  peak "$bin" check --inventory "inv-$n.yaml"
  printf '%4s x 20, check --out:    ' "$n"
  peak "$bin" check --inventory "inv-$n.yaml" --out "out-$n"
done

echo "== the limits: 33 instances x 60 VMs at eight states (seed 18), first build"
"$bin" sample --instances 33 --vms 60 --seed 18 > limits.yaml
rm -rf out-limits
printf 'limits, first build:  '
peak "$bin" build --inventory limits.yaml --out out-limits
pdfinfo out-limits/document.pdf 2>/dev/null | grep -E '^(Pages|File size)' || true

echo "== the repo's inventory"
inv=$(dirname "$bin")/../../inventory
inv=$(ls "$inv"/*.yaml)
cp "$inv" seed.yaml
"$bin" build --inventory seed.yaml --out seed-out >/dev/null 2>&1
printf 'seed, build:          '; peak "$bin" build --inventory seed.yaml --out seed-out
printf 'seed, check (no out): '; peak "$bin" check --inventory seed.yaml
# A one-word edit of prose (the document's purpose): no annexe changes, so no PNG is drawn.
sed -i '0,/purpose: /s//purpose: Mise à jour. /' seed.yaml
printf 'seed, after a one-word edit: '; peak "$bin" build --inventory seed.yaml --out seed-out

echo "== hyperfine: the repo's inventory, and 20 x 20"
dotfile() { # $1 = boxes per state, 3 states
  echo 'digraph annexe { rankdir=LR; node [shape=box, penwidth=3, fontname="DejaVu Sans"];'
  for s in 1 2 3; do
    echo "  subgraph cluster_$s { label=\"État $s\";"
    for v in $(seq 1 "$1"); do
      echo "    n${s}_$v [color=\"#c62828\", label=\"machine$v\\nDNS : vm$v.example.org\\nIP : 10.88.0.$v\\nServeur de fichiers de production\"];"
    done
    echo '  }'
  done
  echo '}'
}
dotfile 20 > a20.dot
dotfile 6 > a6.dot
dotfile 2 > a2.dot
twenty="for i in \$(seq 20); do dot -Tpng -Gdpi=144 -o a20-\$i.png a20.dot; done"
hyperfine --warmup 2 --runs 10 \
  "dot -Tpng -Gdpi=144 -o a6.png a6.dot && dot -Tpng -Gdpi=144 -o a2.png a2.dot" \
  "$bin build --inventory seed.yaml --out seed-out" \
  "$bin check --inventory seed.yaml"
hyperfine --warmup 1 --runs 5 \
  "$twenty" \
  "rm -rf out-20 && $bin build --inventory inv-20.yaml --out out-20" \
  "$bin build --inventory inv-20.yaml --out out-20"
