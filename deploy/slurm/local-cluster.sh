#!/usr/bin/env bash
# A one-node Slurm cluster on 127.0.0.1, for trying sweep.sbatch on one machine.
#
#   deploy/slurm/local-cluster.sh start    install Slurm and munge where missing, start the daemons
#   deploy/slurm/local-cluster.sh status   show the daemons, the node and the queue
#   deploy/slurm/local-cluster.sh stop     cancel its jobs, stop exactly the daemons it started
#   eval "$(deploy/slurm/local-cluster.sh env)"   point sbatch/squeue/scontrol at it
#
# Everything lives in one state folder ($SLURM_STATE, default /tmp/depthsweep-slurm): config,
# munge key and socket, spool, logs and the daemons' PID files. Nothing under /etc is changed,
# so it neither needs nor disturbs a system-wide Slurm. Runs as root (slurmd must). Debian 12,
# slurm-wlm 22.05; no systemd needed. Accounting is off, so use squeue/scontrol, not sacct.
#
# Settings (environment): SLURM_STATE, SLURM_LOCAL_CPUS (default: nproc),
# SLURM_CTLD_PORT / SLURM_D_PORT (default 6817 / 6818; the test uses others, so it can run
# beside a cluster started by hand), SLURM_CRED_EXPIRE (default 5 s, the least slurmctld
# accepts: see slurm.conf below).
set -euo pipefail

STATE=${SLURM_STATE:-/tmp/depthsweep-slurm}
CPUS=${SLURM_LOCAL_CPUS:-$(nproc)}
CTLD_PORT=${SLURM_CTLD_PORT:-6817}
D_PORT=${SLURM_D_PORT:-6818}
CRED_EXPIRE=${SLURM_CRED_EXPIRE:-5}
NODE=$(hostname -s)
CONF=$STATE/etc/slurm.conf
MUNGE_DIR=$STATE/munge
MUNGE_SOCKET=$MUNGE_DIR/munge.socket
export SLURM_CONF=$CONF

log() { echo "local-cluster: $*" >&2; }
die() {
  log "error: $*"
  exit 1
}

# --- installation ---------------------------------------------------------------------------

# Installs Debian's Slurm and munge unless their programs are already there.
install_slurm() {
  local tool missing=0
  for tool in slurmctld slurmd sbatch squeue scontrol munged munge unmunge; do
    command -v "$tool" >/dev/null || missing=1
  done
  ((missing)) || return 0
  [[ $(id -u) == 0 ]] || die "Slurm is not installed; run as root to install it"
  log "installing slurmctld slurmd slurm-client munge (apt-get)"
  local rc=0
  with_services_blocked apt_install slurmctld slurmd slurm-client munge || rc=$?
  ((rc == 0)) || die "apt-get install failed (exit $rc)"
}

# apt-get install; refreshes the package lists once if the install fails (a fresh machine has none).
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null ||
    { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@" >/dev/null; }
}

# Runs a command with a policy-rc.d that exits 101, so the packages start no services of
# their own (they would take the default ports and /etc config); restores what was there.
with_services_blocked() {
  local policy=/usr/sbin/policy-rc.d backup="" rc=0
  if [[ -e $policy ]]; then
    backup=$(mktemp /tmp/policy-rc.d.XXXXXX)
    cp -p "$policy" "$backup"
  fi
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  "$@" || rc=$?
  if [[ -n $backup ]]; then mv "$backup" "$policy"; else rm -f "$policy"; fi
  return "$rc"
}

# --- configuration --------------------------------------------------------------------------

make_dirs() {
  mkdir -p "$STATE"/{etc,log,run,spool/ctld,spool/d}
  chmod 755 "$STATE"
  # munged refuses a key or socket folder that others can write to, and a socket folder
  # that others cannot enter (every client must reach the socket).
  mkdir -p "$MUNGE_DIR"
  chown munge:munge "$MUNGE_DIR"
  chmod 711 "$MUNGE_DIR"
  setpriv --reuid=munge --regid=munge --init-groups -- test -x "$MUNGE_DIR" ||
    die "the munge user cannot reach $MUNGE_DIR: use a state folder whose parents others may enter"
}

make_munge_key() {
  local key=$MUNGE_DIR/munge.key
  [[ -s $key ]] && return 0
  head -c 1024 /dev/urandom >"$key"
  chown munge:munge "$key"
  chmod 400 "$key"
}

# Writes slurm.conf and cgroup.conf. Each setting that is not Slurm's default says why.
write_config() {
  cat >"$CONF" <<EOF
# Written by deploy/slurm/local-cluster.sh: a one-node cluster on 127.0.0.1.
ClusterName=depthsweep
SlurmctldHost=$NODE(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$D_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# Our own munged, not the system's /run/munge socket. cred_expire is also how long a requeued
# job waits before it may start again (default 120 s): short here, so the test's requeued
# array tasks restart within about 6 s. Below 5 slurmctld says "invalid" and uses 120.
AuthInfo=socket=$MUNGE_SOCKET,cred_expire=$CRED_EXPIRE
StateSaveLocation=$STATE/spool/ctld
SlurmdSpoolDir=$STATE/spool/d
SlurmctldPidFile=$STATE/run/slurmctld.daemon.pid
SlurmdPidFile=$STATE/run/slurmd.daemon.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No systemd, no cgroup delegation in a container: track processes by parent PID, bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
# Hand out single CPUs, so two 1-CPU array tasks run side by side on 2 cores.
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
# Look for startable jobs every 2 s (defaults: 60 s, backfill 30 s), so a requeued task starts
# as soon as cred_expire has passed.
SchedulerParameters=sched_interval=2,bf_interval=2
# No slurmdbd: accounting off (sacct does not work; squeue and scontrol do).
AccountingStorageType=accounting_storage/none
JobAcctGatherType=jobacct_gather/none
JobCompType=jobcomp/none
MpiDefault=none
# A quick test: forget finished jobs after 5 s (squeue then no longer lists them), kill a job
# exactly at its time limit, and give it 10 s between SIGTERM and SIGKILL when it is killed.
MinJobAge=5
OverTimeLimit=0
KillWait=10
# After a restart the node comes back without an admin.
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
NodeName=$NODE NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=local Nodes=$NODE Default=YES MaxTime=INFINITE State=UP
EOF
  # Read by slurmd even though no cgroup plugin is configured: keep it from mounting anything.
  cat >"$STATE/etc/cgroup.conf" <<EOF
CgroupAutomount=no
ConstrainCores=no
ConstrainRAMSpace=no
ConstrainDevices=no
EOF
}

# --- daemons --------------------------------------------------------------------------------

# Is the daemon whose PID file is $1 alive, and is it still the program we started ($2)?
alive() {
  local file=$STATE/run/$1.pid pid
  [[ -s $file ]] || return 1
  pid=$(<"$file")
  [[ -r /proc/$pid/comm && $(<"/proc/$pid/comm") == "$2" ]]
}

# Starts a daemon in the foreground of a background job, recording its PID. In a session of
# its own, so a Ctrl-C meant for the caller (e.g. the test) does not kill it before `stop` has
# cancelled its jobs. $1: name for the PID and log files; the rest: the command, which must
# exec the daemon (setsid execs when it need not fork, and a background job never needs to).
launch() {
  local name=$1
  shift
  setsid "$@" >>"$STATE/log/$name.out" 2>&1 </dev/null &
  echo $! >"$STATE/run/$name.pid"
}

start_munged() {
  alive munged munged && return 0
  # setpriv execs munged as the munge user, so $! is munged's own PID.
  launch munged setpriv --reuid=munge --regid=munge --init-groups -- \
    munged --foreground --socket="$MUNGE_SOCKET" --key-file="$MUNGE_DIR/munge.key" \
    --pid-file="$MUNGE_DIR/munged.pid" --log-file="$MUNGE_DIR/munged.log" \
    --seed-file="$MUNGE_DIR/munged.seed"
  wait_until 20 munge_works || die "munged did not start; see $STATE/log/munged.out"
}

munge_works() { munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1; }

start_slurm() {
  alive slurmctld slurmctld || launch slurmctld slurmctld -D -f "$CONF"
  wait_until 30 ctld_answers ||
    die "slurmctld did not answer; see $STATE/log/slurmctld.log"
  alive slurmd slurmd || launch slurmd slurmd -D -f "$CONF"
  wait_until 30 node_ready || die "node $NODE not idle; see $STATE/log/slurmd.log"
}

ctld_answers() { scontrol ping 2>/dev/null | grep -q 'is UP'; }

node_ready() {
  local state
  state=$(sinfo -h -n "$NODE" -o %T 2>/dev/null) || return 1
  case $state in
    idle | mixed | allocated) return 0 ;;
    drain* | down*) scontrol update nodename="$NODE" state=resume >/dev/null 2>&1 || true ;;
  esac
  return 1
}

# wait_until SECONDS COMMAND...: retries COMMAND every 0.5 s until it succeeds or time is up.
wait_until() {
  local deadline=$((SECONDS + $1))
  shift
  until "$@"; do
    ((SECONDS < deadline)) || return 1
    sleep 0.5
  done
}

# Stops the daemon recorded in $1.pid (only if it is still the $2 we started): TERM, then KILL.
stop_daemon() {
  local file=$STATE/run/$1.pid pid
  if alive "$1" "$2"; then
    pid=$(<"$file")
    kill -TERM "$pid" 2>/dev/null || true
    wait_until 15 eval "! kill -0 $pid 2>/dev/null" || kill -KILL "$pid" 2>/dev/null || true
    log "stopped $1 (pid $pid)"
  fi
  rm -f "$file"
}

# Cancels every job of this private cluster: slurmstepd and the jobs outlive slurmd otherwise.
cancel_jobs() {
  alive slurmctld slurmctld || return 0
  ctld_answers || return 0
  local jobs
  jobs=$(squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
  [[ -n ${jobs// /} ]] || return 0
  log "cancelling jobs: $jobs"
  # shellcheck disable=SC2086 # one word per job id
  scancel $jobs 2>/dev/null || true
  wait_until 30 no_running_jobs || log "jobs still running after 30 s"
}

no_running_jobs() { [[ -z $(squeue -h -t running,completing -o %A 2>/dev/null) ]]; }

# --- subcommands ----------------------------------------------------------------------------

cmd_start() {
  [[ $(id -u) == 0 ]] || die "run as root: slurmd starts jobs as their users"
  ((CRED_EXPIRE >= 5)) || die "SLURM_CRED_EXPIRE must be 5 or more (slurmctld ignores less)"
  if alive slurmctld slurmctld; then
    log "already running (stop and start again to apply a changed config)"
  fi
  install_slurm
  make_dirs
  make_munge_key
  write_config
  start_munged
  start_slurm
  log "up: node $NODE, $CPUS CPUs, state in $STATE"
  log "use it with: export SLURM_CONF=$CONF"
}

cmd_stop() {
  [[ -d $STATE/run ]] || return 0
  cancel_jobs
  stop_daemon slurmd slurmd
  stop_daemon slurmctld slurmctld
  stop_daemon munged munged
}

cmd_status() {
  local name up=1
  for name in munged slurmctld slurmd; do
    if alive "$name" "$name"; then
      echo "$name: running (pid $(<"$STATE/run/$name.pid"))"
    else
      echo "$name: not running"
      up=0
    fi
  done
  if ((up)); then
    sinfo -N -o '%N %T %C'
    squeue -o '%.12i %.9P %.12j %.2t %.8M %.8l %R'
  fi
  ((up))
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *)
    echo "usage: $0 start|stop|status|env   (state folder: $STATE)" >&2
    exit 2
    ;;
esac
