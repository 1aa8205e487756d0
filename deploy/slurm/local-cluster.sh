#!/usr/bin/env bash
# A Slurm cluster on this one machine, for trying sweep.sbatch: one node on 127.0.0.1, or
# several nodes, each in namespaces of its own (SLURM_LOCAL_NODES=N, below).
#
#   deploy/slurm/local-cluster.sh start    install Slurm and munge where missing, start the daemons
#   deploy/slurm/local-cluster.sh status   show the daemons, the nodes and the queue
#   deploy/slurm/local-cluster.sh stop     cancel its jobs, stop exactly the daemons it started
#   eval "$(deploy/slurm/local-cluster.sh env)"   point sbatch/squeue/scontrol at it
#   deploy/slurm/local-cluster.sh on NODE CMD...  run CMD on a node (with SLURM_LOCAL_NODES=N;
#                                          NODE is head for the controller, or node1 .. nodeN)
#   deploy/slurm/local-cluster.sh pids NODE       the processes on a node, one PID a line
#
# Everything lives in one state folder ($SLURM_STATE, default /tmp/depthsweep-slurm): config,
# munge key and socket, spool, logs and the daemons' PID files. Nothing under /etc is changed,
# so it neither needs nor disturbs a system-wide Slurm. Runs as root (slurmd must). Debian 12,
# slurm-wlm 22.05; no systemd needed. Accounting is off, so use squeue/scontrol, not sacct.
#
# Several nodes (SLURM_LOCAL_NODES=N, N >= 1): a head node for slurmctld and N compute nodes,
# each a network, UTS and mount namespace of its own, held open by one `sleep` process: its own
# hostname (head, node1, ...), its own address on a private bridge (10.26.0.1, .11, .12, ...)
# that exists only inside the head's namespace, and an /etc/hosts that names them all (bound over
# /etc/hosts in its own mount namespace only). Every node sees this machine's files, so a run
# folder is shared as on an NFS cluster. Nothing is added to this machine's own network: no
# traffic leaves the namespaces, and the clients (sbatch, squeue) run on the head node: use
# `on head sbatch ...`. Killing a node's processes (`pids NODE`) is a node failure.
#
# Settings (environment): SLURM_STATE, SLURM_LOCAL_CPUS (default: nproc; per node with
# SLURM_LOCAL_NODES), SLURM_LOCAL_NODES (default 0: one node on 127.0.0.1),
# SLURM_CTLD_PORT / SLURM_D_PORT (default 6817 / 6818; the test uses others, so it can run
# beside a cluster started by hand), SLURM_CRED_EXPIRE (default 5 s, the least slurmctld
# accepts: see slurm.conf below), SLURMD_TIMEOUT (default 60 s: a silent node is set DOWN after
# this, and its jobs requeued), SLURM_RETURN_TO_SERVICE (default 2: a DOWN node that registers
# again is back in service; 0 keeps it DOWN until `scontrol update nodename=N state=resume`).
set -euo pipefail

STATE=${SLURM_STATE:-/tmp/depthsweep-slurm}
NODES=${SLURM_LOCAL_NODES:-0}
CPUS=${SLURM_LOCAL_CPUS:-$(nproc)}
CTLD_PORT=${SLURM_CTLD_PORT:-6817}
D_PORT=${SLURM_D_PORT:-6818}
CRED_EXPIRE=${SLURM_CRED_EXPIRE:-5}
SLURMD_TIMEOUT=${SLURMD_TIMEOUT:-60}
RETURN_TO_SERVICE=${SLURM_RETURN_TO_SERVICE:-2}
SUBNET=10.26.0 # private addresses on a bridge inside the head node's namespace
if ((NODES > 0)); then
  HEAD="head"
  HEAD_ADDR=$SUBNET.1
  COMPUTE=()
  for ((i = 1; i <= NODES; i++)); do COMPUTE+=("node$i"); done
else
  HEAD=$(hostname -s)
  HEAD_ADDR=127.0.0.1
  COMPUTE=("$HEAD")
fi
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
  mkdir -p "$STATE"/{etc,log,run,spool/ctld}
  local node
  for node in "${COMPUTE[@]}"; do mkdir -p "$STATE/spool/d-$node"; done
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
# Written by deploy/slurm/local-cluster.sh: a cluster on one machine.
ClusterName=depthsweep
SlurmctldHost=$HEAD($HEAD_ADDR)
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
# One slurmd per node on this machine: %n is the node's name.
SlurmdSpoolDir=$STATE/spool/d-%n
SlurmctldPidFile=$STATE/run/slurmctld.daemon.pid
SlurmdPidFile=$STATE/run/slurmd-%n.daemon.pid
SlurmctldLogFile=$STATE/log/slurmctld.log
SlurmdLogFile=$STATE/log/slurmd-%n.log
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
# 2: after a restart the node comes back without an admin. 0: a node that was DOWN stays so.
ReturnToService=$RETURN_TO_SERVICE
# A node that has not answered for this long is set DOWN and its jobs are requeued (--requeue).
SlurmdTimeout=$SLURMD_TIMEOUT
InactiveLimit=0
$(node_lines)
PartitionName=local Nodes=$(node_list) Default=YES MaxTime=INFINITE State=UP
EOF
  # Read by slurmd even though no cgroup plugin is configured: keep it from mounting anything.
  cat >"$STATE/etc/cgroup.conf" <<EOF
CgroupAutomount=no
ConstrainCores=no
ConstrainRAMSpace=no
ConstrainDevices=no
EOF
}

# One NodeName line per compute node, with its address.
node_lines() {
  local i
  for i in "${!COMPUTE[@]}"; do
    echo "NodeName=${COMPUTE[$i]} NodeAddr=$(node_addr "$i") CPUs=$CPUS State=UNKNOWN"
  done
}

# The compute nodes' names, comma-separated.
node_list() {
  local IFS=,
  echo "${COMPUTE[*]}"
}

# The address of compute node $1 (0-based).
node_addr() {
  if ((NODES > 0)); then echo "$SUBNET.$((11 + $1))"; else echo 127.0.0.1; fi
}

# --- nodes as namespaces ----------------------------------------------------------------------

# Sets NS to the command prefix that runs a program on node $1 (empty on a one-node cluster).
on_node_prefix() {
  NS=()
  ((NODES > 0)) || return 0
  local file=$STATE/run/ns-$1.pid
  [[ -s $file ]] || die "no node $1 (is the cluster started?)"
  # --wd: in the node's mount namespace, the caller's working folder is not the current one.
  NS=(nsenter -t "$(<"$file")" -n -u -m --wd="$PWD" --)
}

# Is node $1's namespace holder running, in namespaces of its own?
namespace_up() {
  local file=$STATE/run/ns-$1.pid
  alive "ns-$1" sleep && [[ $(readlink "/proc/$(<"$file")/ns/uts") != $(readlink /proc/self/ns/uts) ]]
}

# Starts node $1: a `sleep` holding a new network, UTS and mount namespace, with the node's
# hostname, a loopback and our /etc/hosts (bound in that mount namespace only).
start_namespace() {
  local node=$1
  namespace_up "$node" && return 0
  # shellcheck disable=SC2016 # $1 and $2 are sh's
  local setup='hostname "$1" && mount --bind "$2" /etc/hosts && ip link set lo up'
  launch "ns-$node" unshare --net --uts --mount --propagation private -- \
    sh -c "$setup && exec sleep infinity" sh "$node" "$STATE/etc/hosts"
  wait_until 10 namespace_up "$node" || die "node $node did not start; see $STATE/log/ns-$node.out"
  # The node's processes are those in its network namespace: remember which one it is.
  readlink "/proc/$(<"$STATE/run/ns-$node.pid")/ns/net" >"$STATE/run/ns-$node.netns"
}

# The head node and the compute nodes, linked by a bridge in the head's network namespace: each
# compute node has an eth0 whose other end is on that bridge.
start_namespaces() {
  local i node head_pid node_pid
  {
    echo "127.0.0.1 localhost"
    echo "$HEAD_ADDR $HEAD"
    for i in "${!COMPUTE[@]}"; do echo "$(node_addr "$i") ${COMPUTE[$i]}"; done
  } >"$STATE/etc/hosts"
  start_namespace "$HEAD"
  head_pid=$(<"$STATE/run/ns-$HEAD.pid")
  if ! nsenter -t "$head_pid" -n ip link show br0 >/dev/null 2>&1; then
    nsenter -t "$head_pid" -n ip link add br0 type bridge
    nsenter -t "$head_pid" -n ip addr add "$HEAD_ADDR/24" dev br0
    nsenter -t "$head_pid" -n ip link set br0 up
  fi
  for i in "${!COMPUTE[@]}"; do
    node=${COMPUTE[$i]}
    start_namespace "$node"
    node_pid=$(<"$STATE/run/ns-$node.pid")
    nsenter -t "$node_pid" -n ip link show eth0 >/dev/null 2>&1 && continue
    # Made in the namespaces themselves: no interface appears on this machine's own network.
    ip link add eth0 netns "$node_pid" type veth peer name "veth$i" netns "$head_pid"
    nsenter -t "$head_pid" -n ip link set "veth$i" master br0 up
    nsenter -t "$node_pid" -n ip addr add "$(node_addr "$i")/24" dev eth0
    nsenter -t "$node_pid" -n ip link set eth0 up
  done
}

# The processes on node $1, one PID a line: every process in its network namespace.
node_pids() {
  local file=$STATE/run/ns-$1.netns ns
  [[ -s $file ]] || die "no node $1"
  ns=$(<"$file")
  # One find for all processes: a readlink each takes seconds on a busy machine.
  find /proc -mindepth 3 -maxdepth 3 -path '/proc/[0-9]*/ns/net' -printf '%l %h\n' 2>/dev/null |
    awk -v ns="$ns" '$1 == ns { split($2, p, "/"); print p[3] }'
}

# Ends every process left on node $1 (jobs that outlived slurmd, a frozen node's): all ours.
stop_namespace() {
  local node=$1 pid
  [[ -s $STATE/run/ns-$node.netns ]] || return 0
  for pid in $(node_pids "$node"); do kill -KILL "$pid" 2>/dev/null || true; done
  rm -f "$STATE/run/ns-$node.pid" "$STATE/run/ns-$node.netns"
  log "stopped node $node"
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
  # setpriv execs munged as the munge user, so $! is munged's own PID. Its socket is a file:
  # every node reaches it through the shared filesystem.
  launch munged setpriv --reuid=munge --regid=munge --init-groups -- \
    munged --foreground --socket="$MUNGE_SOCKET" --key-file="$MUNGE_DIR/munge.key" \
    --pid-file="$MUNGE_DIR/munged.pid" --log-file="$MUNGE_DIR/munged.log" \
    --seed-file="$MUNGE_DIR/munged.seed"
  wait_until 20 munge_works || die "munged did not start; see $STATE/log/munged.out"
}

munge_works() { munge -n -S "$MUNGE_SOCKET" 2>/dev/null | unmunge -S "$MUNGE_SOCKET" >/dev/null 2>&1; }

start_slurm() {
  local node
  on_node_prefix "$HEAD"
  alive slurmctld slurmctld || launch slurmctld "${NS[@]}" slurmctld -D -f "$CONF"
  wait_until 30 ctld_answers ||
    die "slurmctld did not answer; see $STATE/log/slurmctld.log"
  for node in "${COMPUTE[@]}"; do
    on_node_prefix "$node"
    alive "slurmd-$node" slurmd || launch "slurmd-$node" "${NS[@]}" slurmd -D -f "$CONF" -N "$node"
  done
  for node in "${COMPUTE[@]}"; do
    wait_until 30 node_ready "$node" || die "node $node not idle; see $STATE/log/slurmd-$node.log"
  done
}

# Runs a Slurm client (sbatch, squeue, scontrol, ...) where it reaches slurmctld: on the head node.
client() {
  local NS
  on_node_prefix "$HEAD"
  "${NS[@]}" "$@"
}

ctld_answers() { client scontrol ping 2>/dev/null | grep -q 'is UP'; }

node_ready() {
  local state
  state=$(client sinfo -h -n "$1" -o %T 2>/dev/null) || return 1
  case $state in
    idle | mixed | allocated) return 0 ;;
    drain* | down*) client scontrol update nodename="$1" state=resume >/dev/null 2>&1 || true ;;
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
  jobs=$(client squeue -h -o %A 2>/dev/null | sort -u | tr '\n' ' ')
  [[ -n ${jobs// /} ]] || return 0
  log "cancelling jobs: $jobs"
  # shellcheck disable=SC2086 # one word per job id
  client scancel $jobs 2>/dev/null || true
  wait_until 30 no_running_jobs || log "jobs still running after 30 s"
}

# No job runs, or only on nodes that do not answer (a killed or frozen node's end with it).
no_running_jobs() {
  local node
  for node in $(client squeue -h -t running,completing -o %N 2>/dev/null); do
    [[ -n $(client sinfo -h -n "$node" -t no_respond,down -o %N 2>/dev/null) ]] || return 1
  done
}

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
  ((NODES == 0)) || start_namespaces
  start_munged
  start_slurm
  log "up: nodes ${COMPUTE[*]}, $CPUS CPUs each, controller on $HEAD ($HEAD_ADDR), state in $STATE"
  if ((NODES > 0)); then
    log "use it with: export SLURM_CONF=$CONF; $0 on head sbatch ..."
  else
    log "use it with: export SLURM_CONF=$CONF"
  fi
}

cmd_stop() {
  [[ -d $STATE/run ]] || return 0
  local node
  cancel_jobs
  for node in "${COMPUTE[@]}"; do stop_daemon "slurmd-$node" slurmd; done
  stop_daemon slurmctld slurmctld
  stop_daemon munged munged
  if ((NODES > 0)); then
    for node in "${COMPUTE[@]}" "$HEAD"; do stop_namespace "$node"; done
  fi
}

cmd_status() {
  local name up=1
  for name in munged slurmctld "${COMPUTE[@]/#/slurmd-}"; do
    if alive "$name" "${name%%-*}"; then
      echo "$name: running (pid $(<"$STATE/run/$name.pid"))"
    else
      echo "$name: not running"
      up=0
    fi
  done
  if ((up)); then
    client sinfo -N -o '%N %T %C'
    client squeue -o '%.12i %.9P %.12j %.2t %.8M %.8l %R'
  fi
  ((up))
}

case ${1:-} in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  on)
    [[ -n ${2:-} && -n ${3:-} ]] || die "usage: $0 on NODE COMMAND..."
    on_node_prefix "$2"
    node=$2
    shift 2
    [[ -n ${NS[*]} ]] || die "no node $node: only a cluster with SLURM_LOCAL_NODES has nodes to run on"
    exec "${NS[@]}" "$@"
    ;;
  pids)
    [[ -n ${2:-} ]] || die "usage: $0 pids NODE"
    node_pids "$2"
    ;;
  *)
    echo "usage: $0 start|stop|status|env|on NODE CMD...|pids NODE   (state folder: $STATE)" >&2
    exit 2
    ;;
esac
