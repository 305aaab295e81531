# shellcheck shell=bash
# Process helpers shared by e2e/controlplane/cluster.sh and e2e/node/node.sh. The sourcing script
# sets `lib_dir` (where NAME.pid, NAME.log, owners, watcher.pid and lock live) and, for
# pid_of, `lib_cmd_prefix` (what precedes NAME in the command line: "/" when every component
# is started by path), and defines `log` and `stop`.

alive() { # PID: a zombie (exited, not yet reaped by init) counts as gone
  local st
  st="$(sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)"
  [[ -n "$st" && "$st" != Z ]]
}

pid_of() { # NAME: prints the PID of a running component, else nothing
  local f="$lib_dir/$1.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  # Guard against PID reuse: the process must still be the binary we started.
  if [[ -n "$pid" ]] && alive "$pid" &&
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "${lib_cmd_prefix:-}$1 "; then
    echo "$pid"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # NAME SECONDS COMMAND...: until COMMAND succeeds; fails (with the log) if NAME exits
  local name="$1" deadline=$((SECONDS + $2)) budget="$2"
  shift 2
  until "$@"; do
    if [[ -z "$(pid_of "$name")" ]]; then
      log "$name exited; last log lines:"
      tail -n 30 "$lib_dir/$name.log" >&2 || true
      return 1
    fi
    if ((SECONDS > deadline)); then
      log "$name not ready after $budget s; last log lines:"
      tail -n 30 "$lib_dir/$name.log" >&2 || true
      return 1
    fi
    sleep 0.3
  done
}

# Exit 0 when the watcher's job is done (no owner alive: everything stopped), 1 otherwise.
reap() {
  local pid alive_owners=()
  if [[ -f "$lib_dir/owners" ]]; then
    while read -r pid; do
      [[ -n "$pid" ]] && alive "$pid" && alive_owners+=("$pid")
    done <"$lib_dir/owners"
  fi
  if ((${#alive_owners[@]})); then
    printf '%s\n' "${alive_owners[@]}" >"$lib_dir/owners"
    return 1
  fi
  stop
  rm -f "$lib_dir/watcher.pid"
  return 0
}

locked() { # COMMAND...: run it while holding the state lock (fd 9; children must close it)
  mkdir -p "$lib_dir"
  exec 9>"$lib_dir/lock"
  flock 9
  "$@"
}
