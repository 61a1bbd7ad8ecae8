# apt-get that waits for another package manager (unattended-upgrades, a second terminal) to let
# go of the dpkg or package-list lock, up to APT_LOCK_WAIT seconds (default 600), instead of
# failing at once; installs without recommended packages. Sourced by scripts/setup.sh.

APT_LOCK_WAIT=${APT_LOCK_WAIT:-600}
APT_RETRY_EVERY=${APT_RETRY_EVERY:-10}

# apt_get ARGS...: runs apt-get ARGS as root (sudo when needed), retrying while a lock is held.
apt_get() {
  local sudo_cmd="" waited=0 out status
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  while true; do
    status=0
    out=$($sudo_cmd env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=60 "$@" 2>&1) || status=$?
    if [ "$status" -eq 0 ]; then
      [ -z "$out" ] || printf '%s\n' "$out"
      return 0
    fi
    if ! grep -qiE "could not get lock|unable to acquire the dpkg|is held by process" <<<"$out" || [ "$waited" -ge "$APT_LOCK_WAIT" ]; then
      printf '%s\n' "$out" >&2
      return "$status"
    fi
    echo "setup: another package manager holds the apt lock; waiting (${waited} s of ${APT_LOCK_WAIT} s)..." >&2
    sleep "$APT_RETRY_EVERY"
    waited=$((waited + APT_RETRY_EVERY))
  done
}

# apt_install PACKAGES...: the packages, without recommended ones.
apt_install() {
  apt_get install -y -qq --no-install-recommends "$@"
}
