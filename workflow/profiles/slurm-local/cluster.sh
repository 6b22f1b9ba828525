#!/usr/bin/env bash
# A single-node SLURM cluster on this machine (slurmctld + slurmd + munge from Debian's packages), for trying
# the SLURM profile without a university cluster and for the test marked `slurm` (tests/workflow/test_slurm.py).
#
#   workflow/profiles/slurm-local/cluster.sh start    # installs slurm-wlm and munge if missing (needs root), starts
#   workflow/profiles/slurm-local/cluster.sh status   # exit 0 when the node is up
#   workflow/profiles/slurm-local/cluster.sh stop     # stops the daemons this script started (by PID)
#
# Then: snakemake --profile workflow/profiles/slurm-local <target>
# The configuration is written to /etc/slurm/slurm.conf (one node "localhost", partition "debug", all cores,
# 85 % of the memory; no accounting database, hence the profile's `slurm-status-command: squeue`).
set -euo pipefail

PIDS=(/run/slurmd.pid /run/slurmctld.pid /run/munge/munged.pid)

need_root() {
  if [ "$(id -u)" != 0 ]; then echo "cluster.sh: $1 needs root (it installs packages and starts daemons)" >&2; exit 2; fi
}

install() {
  if [ -x /usr/sbin/munged ] && [ -x /usr/sbin/slurmctld ] && [ -x /usr/sbin/slurmd ] && command -v sbatch >/dev/null; then
    return 0
  fi
  echo "cluster.sh: installing Debian's slurm-wlm and munge" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm munge >/dev/null
}

up() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

node_idle() {
  local s
  s=$(sinfo -h -n localhost -o %T 2>/dev/null || true)
  [ "$s" = idle ] || [ "$s" = mixed ] || [ "$s" = allocated ]
}

start() {
  need_root start
  install
  local mem_mb
  mem_mb=$(( $(awk '/MemTotal/{print $2}' /proc/meminfo) / 1024 * 85 / 100 ))
  mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge
  chown munge:munge /run/munge
  # slurm.conf takes one key=value per line
  printf '%s\n' > /etc/slurm/slurm.conf \
    ClusterName=local SlurmctldHost=localhost SlurmUser=root AuthType=auth/munge MpiDefault=none \
    StateSaveLocation=/var/spool/slurmctld SlurmdSpoolDir=/var/spool/slurmd MailProg=/bin/true \
    SlurmctldPidFile=/run/slurmctld.pid SlurmdPidFile=/run/slurmd.pid \
    SlurmctldLogFile=/var/log/slurm/slurmctld.log SlurmdLogFile=/var/log/slurm/slurmd.log \
    ProctrackType=proctrack/linuxproc TaskPlugin=task/none JobAcctGatherType=jobacct_gather/none \
    AccountingStorageType=accounting_storage/none JobCompType=jobcomp/none \
    SelectType=select/cons_tres SelectTypeParameters=CR_Core_Memory DefMemPerCPU=1000 \
    ReturnToService=2 MinJobAge=300 SchedulerParameters=batch_sched_delay=0 \
    "NodeName=localhost CPUs=$(nproc) RealMemory=$mem_mb State=UNKNOWN" \
    "PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP"
  [ -s /etc/munge/munge.key ] || runuser -u munge -- mungekey --create
  up /run/munge/munged.pid || runuser -u munge -- /usr/sbin/munged
  for _ in $(seq 50); do munge -n >/dev/null 2>&1 && break; sleep 0.1; done
  up /run/slurmctld.pid || /usr/sbin/slurmctld
  up /run/slurmd.pid || /usr/sbin/slurmd -N localhost   # the host is not called localhost
  for _ in $(seq 150); do
    if node_idle && scontrol show slurmd >/dev/null 2>&1; then echo "cluster.sh: SLURM is up (node localhost, partition debug)"; return 0; fi
    sleep 0.2
  done
  echo "cluster.sh: SLURM did not come up; see /var/log/slurm/slurmctld.log and slurmd.log" >&2
  exit 1
}

stop() {
  need_root stop
  for f in "${PIDS[@]}"; do
    if [ -s "$f" ]; then
      pid=$(cat "$f")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 200); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$f"
    fi
  done
  echo "cluster.sh: SLURM stopped"
}

status() {
  for f in "${PIDS[@]}"; do up "$f" || { echo "cluster.sh: not running ($f)"; exit 1; }; done
  node_idle || { echo "cluster.sh: daemons run but the node is not up"; exit 1; }
  echo "cluster.sh: up"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
