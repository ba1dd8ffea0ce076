#!/usr/bin/env bash
# Give examples/qemu-src a git history, so that `crashlens --source` can show blame and
# suspects for the QEMU examples.
#
# Usage: scripts/make-example-repo.sh [OUTPUT_DIR]
#   OUTPUT_DIR defaults to ${TMPDIR:-/tmp}/crashlens-qemu-src. It is created, or replaced
#   when it already holds a history made by this script; anything else is left alone.
#
# The history has six commits by four invented authors with fixed dates. Each commit's
# files are the final tree with the later commits' changes undone; every undo replaces a
# range of lines with the same number of lines, so the line numbers the examples cite are
# the same in every commit. Same input, same commit hashes: rerunning is idempotent.
# Prints the output directory and the head commit.
set -euo pipefail
export LC_ALL=C TZ=UTC

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
src="$here/examples/qemu-src"
out="${1:-${TMPDIR:-/tmp}/crashlens-qemu-src}"
first_subject='Import a miniature QEMU-like tree for the crashlens examples'

die() { echo "make-example-repo: $*" >&2; exit 1; }

[ -f "$src/hw/scsi/virtio-scsi.c" ] || die "no example tree at $src"
if [ -e "$out" ]; then
  if [ -d "$out/.git" ] && [ "$(git -C "$out" log --reverse --format=%s 2>/dev/null | head -n 1)" = "$first_subject" ]; then
    rm -rf "$out"
  elif [ -d "$out" ] && [ -z "$(ls -A "$out")" ]; then
    :
  else
    die "$out exists and was not made by this script; give another directory"
  fi
fi
mkdir -p "$out"
out="$(cd "$out" && pwd)"

g() {
  git -C "$out" -c core.autocrlf=false -c core.fileMode=true -c commit.gpgsign=false \
    -c core.hooksPath=/dev/null -c init.defaultBranch=master "$@"
}

# replace FILE FIRST LAST EXPECTED_FIRST_LINE < new lines
# Replaces lines FIRST..LAST of FILE (relative to $out) with exactly as many lines from stdin,
# after checking that line FIRST still reads EXPECTED_FIRST_LINE in the final tree.
replace() {
  local f="$out/$1" a="$2" b="$3" expect="$4" actual new n
  actual="$(sed -n "${a}p" "$f")"
  [ "$actual" = "$expect" ] || die "$1:$a reads '$actual', expected '$expect' (the example tree changed?)"
  new="$(cat)"
  n="$(printf '%s\n' "$new" | wc -l)"
  [ "$n" -eq $((b - a + 1)) ] || die "$1:$a-$b: replacement has $n lines, needs $((b - a + 1))"
  { head -n $((a - 1)) "$f"; printf '%s\n' "$new"; tail -n +$((b + 1)) "$f"; } > "$f.new"
  mv "$f.new" "$f"
}

# Undo commit N: turn the final text back into what it was before commit N.
undo_2() {
  replace util/aio-posix.c 331 338 '    /* Busy-polling saw work for this handler: its poll-ready callback takes it. */' <<'EOF'
    /*
     * Busy-polling only reports that there is work; the read handler below
     * consumes it, so treat the handler as readable.
     */
    if (node->poll_ready) {
        node->poll_ready = false;
        revents |= G_IO_IN;
    }
EOF
  replace hw/virtio/virtio.c 3538 3547 '/**' <<'EOF'
/**
 * virtio_queue_host_notifier_aio_poll: busy-poll the ring for new requests.
 * @opaque: the virtqueue's host notifier
 */
static bool virtio_queue_host_notifier_aio_poll(void *opaque)
{
    VirtQueue *vq = container_of(opaque, VirtQueue, host_notifier);

    return vq->vring.desc && !virtio_queue_empty(vq);
}
EOF
}

undo_3() {
  replace hw/scsi/virtio-scsi.c 601 616 '/**' <<'EOF'
/**
 * virtio_scsi_dataplane_wanted: should this kick move the device to its IOThread?
 * @s: the device
 *
 * True when an IOThread is configured and dataplane has not started yet;
 * the caller then starts ioeventfd itself and returns.
 */
static bool virtio_scsi_dataplane_wanted(VirtIOSCSI *s)
{
    if (!s->ctx || s->dataplane_started) {
        return false;
    }

    /* The IOThread takes the kick once ioeventfd is running. */
    return true;
}
EOF
  local at
  for at in 622 861 1011; do
    replace hw/scsi/virtio-scsi.c "$at" $((at + 3)) '    if (virtio_scsi_defer_to_dataplane(s)) {' <<'EOF'
    if (virtio_scsi_dataplane_wanted(s)) {
        virtio_device_start_ioeventfd(vdev);
        return;
    }
EOF
  done
}

undo_4() {
  local at
  for at in 1071 1090; do
    replace hw/scsi/virtio-scsi.c "$at" "$at" '    uint32_t total = VIRTIO_SCSI_VQ_NUM_FIXED + s->parent_obj.conf.num_queues;' <<'EOF'
    uint32_t total = s->parent_obj.conf.num_queues;
EOF
  done
}

undo_5() {
  replace hw/scsi/virtio-scsi.c 693 693 '    if (r->io_canceled) {' <<'EOF'
    if (!req || r->io_canceled) {
EOF
}

undo_6() {
  replace MAINTAINERS 40 40 'R: Jonas Feldhaus <jonas.feldhaus@example.net>' <<'EOF'
R: Jonas Feldhaus <jfeldhaus@old-mail.example.net>
EOF
  replace MAINTAINERS 90 90 'M: Jonas Feldhaus <jonas.feldhaus@example.net>' <<'EOF'
M: Jonas Feldhaus <jfeldhaus@old-mail.example.net>
EOF
  rm -f "$out/.github/CODEOWNERS"
  rmdir "$out/.github" 2>/dev/null || true
}

# state K: the tree as it was after commit K.
state() {
  local k="$1" j
  find "$out" -mindepth 1 -maxdepth 1 ! -name .git -exec rm -rf {} +
  cp -R "$src/." "$out/"
  for j in 6 5 4 3 2; do
    if [ "$j" -gt "$k" ]; then "undo_$j"; fi
  done
  find "$out" -path "$out/.git" -prune -o -type f -exec chmod 644 {} +
  find "$out" -path "$out/.git" -prune -o -type d -exec chmod 755 {} +
}

commit() {
  local name="$1" email="$2" date="$3" message="$4"
  g add -A .
  GIT_AUTHOR_NAME="$name" GIT_AUTHOR_EMAIL="$email" GIT_AUTHOR_DATE="$date" \
  GIT_COMMITTER_NAME="$name" GIT_COMMITTER_EMAIL="$email" GIT_COMMITTER_DATE="$date" \
    g commit -q --no-verify --allow-empty-message -m "$message"
}

ILSE=('Ilse Marchetti' 'ilse.marchetti@example.org')
TOMASZ=('Tomasz Wierzbicki' 'tomasz.wierzbicki@example.org')
RAVI=('Ravi Okonkwo' 'ravi.okonkwo@example.org')
MAREN=('Maren Solberg' 'maren.solberg@example.com')
JONAS=('Jonas Feldhaus' 'jonas.feldhaus@example.net')

g init -q

state 1
commit "${ILSE[@]}" '2022-11-02T10:14:00+01:00' "$first_subject

The files follow QEMU's layout and function names so that the example
backtraces line up; the code is our own and much smaller."

state 2
commit "${TOMASZ[@]}" '2023-01-17T15:42:10+01:00' 'aio-posix: let polling handlers take their work through io_poll_ready

Busy-polling used to mark a handler readable and leave the work to its
read callback. Give handlers a poll-ready callback instead, and use it
for virtqueue host notifiers.'

state 3
commit "${ILSE[@]}" '2023-03-08T09:05:33+01:00' 'virtio-scsi: move the ioeventfd start-up into virtio_scsi_defer_to_dataplane()

The three virtqueue handlers each started ioeventfd themselves. Do it in
one helper that also tells the caller whether to leave the kick to the
IOThread.'

state 4
commit "${RAVI[@]}" '2023-05-23T17:20:45+02:00' 'virtio-scsi: detach the control and event queues during drain too

virtio_scsi_drained_begin/end only covered the request queues, so the
control and event queues kept receiving kicks while the block layer
drained. Cover every queue.'

state 5
commit "${MAREN[@]}" '2023-06-06T11:11:11+02:00' 'virtio-scsi: drop the hba_private NULL check from command completion

The SCSI bus completes a request once, and cancelled requests return
early, so hba_private cannot be NULL here.'

state 6
commit "${JONAS[@]}" '2023-06-27T14:30:00+02:00' 'MAINTAINERS: update my address; add CODEOWNERS for review requests'

echo "$out"
g rev-parse HEAD
