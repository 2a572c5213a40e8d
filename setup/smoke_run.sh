#!/usr/bin/env bash
# Checks the README's run command: starts setup/run.sh on a free port, then asserts that
# /web/login answers 200, that a JSON-RPC login as admin succeeds and that the three add-ons
# are installed; stops the server afterwards. Exit status 0 when all hold.
set -euo pipefail
# shellcheck source=setup/common.sh
source "$(dirname "$0")/common.sh"
port=$(si_free_port)
log="$SI_CACHE/smoke-run.log"
setsid "$SI_ROOT/setup/run.sh" --port "$port" >"$log" 2>&1 &
server=$!
stop_server() {  # the whole process group: run.sh, then the Odoo it execs
    kill -TERM -- -"$server" 2>/dev/null || return 0
    for _ in $(seq 20); do kill -0 "$server" 2>/dev/null || return 0; sleep 0.5; done
    kill -KILL -- -"$server" 2>/dev/null || true
}
trap stop_server EXIT
url="http://127.0.0.1:$port"
for _ in $(seq 600); do
    curl -fs -o /dev/null "$url/web/login" && break
    kill -0 $server 2>/dev/null || { tail -n 30 "$log"; si_die "setup/run.sh stopped"; }
    sleep 1
done
db=$(grep -oE 'database: [^ ]+' "$log" | head -n 1 | cut -d' ' -f2)
code=$(curl -s -o /dev/null -w '%{http_code}' "$url/web/login")
echo "GET /web/login -> $code"
[ "$code" = 200 ] || si_die "/web/login answered $code"
python3 - "$url" "$db" <<'PY'
import json, sys, urllib.request
url, db = sys.argv[1], sys.argv[2]
def call(service, method, *args):
    body = json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1,
                       "params": {"service": service, "method": method, "args": args}})
    request = urllib.request.Request(url + "/jsonrpc", body.encode(),
                                     {"Content-Type": "application/json"})
    reply = json.load(urllib.request.urlopen(request, timeout=60))
    if "error" in reply:
        sys.exit(f"JSON-RPC error: {reply['error']}")
    return reply["result"]
uid = call("common", "login", db, "admin", "admin")
print(f"JSON-RPC login as admin on {db} -> uid {uid}")
assert uid, "login failed"
states = call("object", "execute_kw", db, uid, "admin", "ir.module.module", "search_read",
              [[("name", "like", "serial_inventory")]], {"fields": ["name", "state"]})
print("modules:", {m["name"]: m["state"] for m in states})
assert len(states) == 3 and all(m["state"] == "installed" for m in states), states
print("run command: OK")
PY
