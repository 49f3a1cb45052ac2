#!/usr/bin/env bash
# Smoke test of the built executable, run where no node_modules can help it: it must carry
# everything (bundle, better-sqlite3's addon) inside itself.
#   scripts/smoke.sh [path/to/xero-proxy]     (default: dist/xero-proxy)
#   SMOKE_EMULATOR='qemu-aarch64-static -L /usr/aarch64-linux-gnu' scripts/smoke.sh dist/xero-proxy-linux-arm64
#                                             runs another architecture's executable under an emulator
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
exe=$(realpath "${1:-$root/dist/xero-proxy}")
[[ -x $exe ]] || { echo "smoke: $exe is missing; run npm run build" >&2; exit 1; }

dir=$(mktemp -d /tmp/xero-proxy-smoke.XXXXXX)
pid=
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

# Prove the premise: no node_modules in the directory or above it.
d=$dir
while :; do
  [[ ! -e $d/node_modules ]] || { echo "smoke: $d/node_modules exists; pick another temp dir" >&2; exit 1; }
  [[ $d == / ]] && break
  d=$(dirname "$d")
done

cp "$exe" "$dir/xero-proxy"
cd "$dir"
# Own cache dir: the addon is extracted afresh, and the user's ~/.cache is left alone.
export XDG_CACHE_HOME=$dir/cache
unset XERO_PROXY_CONFIG

read -r -a run <<<"${SMOKE_EMULATOR:-}"
run+=(./xero-proxy)

echo "smoke: ${run[*]} --version"
version=$("${run[@]}" --version)
expected=$(node -p "require('$root/package.json').version")
[[ $version == *"$expected"* ]] || { echo "smoke: --version printed '$version', expected $expected" >&2; exit 1; }
echo "smoke: version $version"
report=$("${run[@]}" --version --json)
echo "smoke: $(tr -d '\n ' <<<"$report")"
[[ $report =~ \"node\":\ *\"26\. && $report =~ \"sqlite\":\ *\"3\. ]] || { echo "smoke: --version --json does not report Node 26 and SQLite" >&2; exit 1; }

# Inside the executable, node:sea says it is packaged: the service it would install runs this very file.
echo "smoke: ${run[*]} service install --dry-run --json"
plan=$("${run[@]}" service install --dry-run --json --platform linux)
[[ $plan == *"\"executable\": \"$dir/xero-proxy\""* && $plan == *'"remarks": []'* ]] || { echo "smoke: the service plan does not run $dir/xero-proxy:" >&2; head -c 600 <<<"$plan" >&2; exit 1; }
echo "smoke: the service plan runs $dir/xero-proxy"

# A free port: bind port 0, read what the kernel gave, release it.
port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
url=http://127.0.0.1:$port/sandbox/organisations
echo "smoke: ${run[*]} sandbox --port $port --memory"
"${run[@]}" sandbox --port "$port" --memory >sandbox.log 2>&1 &
pid=$!

status=
for ((i = 0; i < 150; i++)); do # 150 x 0.2 s = 30 s
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "smoke: the sandbox exited early; its output:" >&2; cat sandbox.log >&2; exit 1
  fi
  status=$(curl -s -o /dev/null -w '%{http_code}' "$url" || true)
  [[ $status == 200 ]] && break
  sleep 0.2
done
if [[ $status != 200 ]]; then
  echo "smoke: GET $url did not answer 200 within 30 s (last status: ${status:-none}); sandbox output:" >&2
  cat sandbox.log >&2
  exit 1
fi
sleep 1 # let start-up garbage settle before reading the idle memory
echo "smoke: GET $url -> 200 after $((i * 200)) ms; idle $(grep VmRSS /proc/$pid/status | tr -s ' \t' ' ')"

kill "$pid"
wait "$pid" 2>/dev/null || true # killed by our TERM; its exit status is not the point
pid=
echo "smoke: ok"
