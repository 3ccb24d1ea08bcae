# Sourced by the test command: runs its test phase in a network namespace that
# has only loopback, so that any test that needs the outside world fails, and
# proves from inside that the outside world is unreachable.

# Re-runs `script` (the test command) in a new network namespace with only
# loopback up, with PORTAL_TEST_PHASE=tests; does not return then. Where no
# namespace can be created it returns, with PORTAL_AIRGAP_NOT_PROVEN saying why.
enter_airgap() {
  local script="$1"; shift
  local reason=""
  if ! command -v unshare >/dev/null 2>&1; then
    reason="unshare (util-linux) is not installed"
  elif ! command -v ip >/dev/null 2>&1; then
    reason="ip (iproute2) is not installed"
  elif ! unshare --net true 2>/dev/null; then
    reason="cannot create a network namespace as uid $(id -u): run the test command as root"
  fi
  # Where the registry lives, resolved while there is a network, so that the
  # check inside can try a direct connection without DNS.
  PORTAL_REGISTRY_ADDR="$(getent ahostsv4 registry.npmjs.org 2>/dev/null | awk 'NR == 1 { print $1 }')"
  export PORTAL_REGISTRY_ADDR
  export PORTAL_TEST_PHASE=tests
  if [ -z "$reason" ]; then
    log "test phase in a network namespace with loopback only (unshare --net)"
    export PORTAL_AIRGAP=namespace
    exec unshare --net -- bash -c 'ip link set lo up && exec bash "$@"' airgap "$script" "$@"
  fi
  export PORTAL_AIRGAP_NOT_PROVEN="$reason"
  log "air gap: NOT proven ($reason); the tests run with this machine's network"
}

# The check "network is loopback-only": no interface but lo, and neither the
# npm registry by name nor its address (resolved before entering) answers.
verify_airgap() {
  local others
  others="$(ip -o link show | awk -F': ' '{ print $2 }' | grep -v '^lo$' || true)"
  if [ -n "$others" ]; then
    log "network interfaces other than loopback: $others"
    return 1
  fi
  node -e '
    const net = require("node:net");
    const connect = (host, port) => new Promise(resolve => {
      const socket = net.connect({ host, port, timeout: 5000 });
      socket.on("connect", () => { socket.destroy(); resolve("connected"); });
      socket.on("timeout", () => { socket.destroy(); resolve("timed out"); });
      socket.on("error", e => resolve(e.code || String(e)));
    });
    (async () => {
      const results = [];
      const byName = await fetch("https://registry.npmjs.org/", { signal: AbortSignal.timeout(10000) })
        .then(r => "answered " + r.status, e => String(e.cause?.code || e.cause || e));
      results.push(["https://registry.npmjs.org/", byName]);
      const addr = process.env.PORTAL_REGISTRY_ADDR;
      if (addr) results.push([addr + ":443", await connect(addr, 443)]);
      for (const [what, outcome] of results) console.error("  " + what + ": " + outcome);
      const reached = results.filter(([, o]) => o === "connected" || o.startsWith("answered"));
      process.exit(reached.length ? 1 : 0);
    })();
  '
}
