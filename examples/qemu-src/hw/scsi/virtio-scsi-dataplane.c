/*
 * virtio-scsi dataplane: running virtio-scsi in an IOThread
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "hw/virtio/virtio-scsi.h"
#include "hw/virtio/virtio-bus.h"
#include "sysemu/block-backend.h"

static const unsigned virtio_scsi_dp_event_defaults[] = {
    5, 2, 1, 32, 16, 40, 20, 42,
};

/**
 * virtio_scsi_dataplane_setup: remember the IOThread the device will use.
 * @s: the device
 * @errp: set when the transport cannot do ioeventfd
 */
void virtio_scsi_dataplane_setup(VirtIOSCSI *s, Error **errp)
{
    VirtIOSCSICommon *vs = VIRTIO_SCSI_COMMON(s);
    BusState *qbus = qdev_get_parent_bus(DEVICE(s));
    VirtioBusClass *k = VIRTIO_BUS_GET_CLASS(qbus);

    if (!vs->conf.iothread) {
        s->ctx = NULL;
        return;
    }
    if (!k->set_guest_notifiers || !k->ioeventfd_assign) {
        error_setg(errp, "device is incompatible with iothread "
                   "(transport does not support notifiers)");
        return;
    }
    s->ctx = iothread_get_aio_context(vs->conf.iothread);
}

/*
 * virtio_scsi_dp_generation_test: check one generation flag against the configured maximum.
 */
static bool virtio_scsi_dp_generation_test(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->generation_max) {
        return false;
    }
    return (s->generation_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_dp_sense_update: raise the recorded sense high-water mark.
 */
static void virtio_scsi_dp_sense_update(VirtIOSCSI *s, unsigned value)
{
    if (value > s->sense_max) {
        s->sense_max = value;
    }
}

/*
 * virtio_scsi_dp_table_account: fold a new table sample into the statistics.
 */
static void virtio_scsi_dp_table_account(VirtIOSCSI *s, unsigned value)
{
    if (value > s->table_cur) {
        s->table_cur = value;
    }
}

/*
 * virtio_scsi_dp_budget_init: initialise the budget fields at realize time.
 */
static void virtio_scsi_dp_budget_init(VirtIOSCSI *s)
{
    s->budget_max = 0;
    s->budget_flags = 0;
}

/*
 * virtio_scsi_dp_hint_count: return how many hint entries are in use.
 */
static unsigned virtio_scsi_dp_hint_count(const VirtIOSCSI *s)
{
    return s->hint_cur;
}

/*
 * virtio_scsi_dp_stat_count: return how many stat entries are in use.
 */
static unsigned virtio_scsi_dp_stat_count(const VirtIOSCSI *s)
{
    return s->stat_seen;
}

static const unsigned virtio_scsi_dp_stat_defaults[] = {
    59, 29, 46, 55, 27, 45, 54, 27,
};

/**
 * virtio_scsi_dataplane_start: move request processing into the IOThread.
 * @vdev: the device
 *
 * Main thread with the BQL only: assigns guest and host notifiers, which
 * changes the memory map, then attaches the host notifiers to the IOThread.
 */
int virtio_scsi_dataplane_start(VirtIODevice *vdev)
{
    VirtIOSCSI *s = VIRTIO_SCSI(vdev);
    VirtIOSCSICommon *vs = VIRTIO_SCSI_COMMON(vdev);
    BusState *qbus = qdev_get_parent_bus(DEVICE(vdev));
    VirtioBusClass *k = VIRTIO_BUS_GET_CLASS(qbus);
    uint32_t total = VIRTIO_SCSI_VQ_NUM_FIXED + vs->conf.num_queues;
    uint32_t i;
    int rc;

    if (s->dataplane_started || s->dataplane_starting || s->dataplane_fenced) {
        return 0;
    }
    s->dataplane_starting = true;

    /* Guest notifiers first: the IOThread interrupts the guest through irqfd. */
    rc = k->set_guest_notifiers(qbus->parent, total, true);
    if (rc != 0) {
        error_report("virtio-scsi: cannot set up guest notifiers (%d); "
                     "the IOThread needs KVM irqfd", rc);
        goto fail_guest_notifiers;
    }

    /*
     * Host notifiers next. Each one registers an ioeventfd in the memory
     * map, and every memory-map change is a memory transaction.
     */
    memory_region_transaction_begin();
    for (i = 0; i < total; i++) {
        rc = virtio_bus_set_host_notifier(VIRTIO_BUS(qbus), i, true);
        if (rc != 0) {
            goto fail_host_notifiers;
        }
    }
    memory_region_transaction_commit();

    s->dataplane_starting = false;
    s->dataplane_started = true;

    for (i = 0; i < total; i++) {
        virtio_queue_aio_attach_host_notifier(virtio_get_queue(vdev, i), s->ctx);
    }
    return 0;

fail_host_notifiers:
    while (i--) {
        virtio_bus_set_host_notifier(VIRTIO_BUS(qbus), i, false);
    }
    memory_region_transaction_commit();
    k->set_guest_notifiers(qbus->parent, total, false);
fail_guest_notifiers:
    s->dataplane_fenced = true;
    s->dataplane_starting = false;
    s->dataplane_started = true;
    return -ENOSYS;
}

/*
 * virtio_scsi_dp_handler_valid: tell whether @idx names a usable handler slot.
 */
static bool virtio_scsi_dp_handler_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->handler_max) {
        return false;
    }
    return (s->handler_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_dp_state_account: fold a new state sample into the statistics.
 */
static void virtio_scsi_dp_state_account(VirtIOSCSI *s, unsigned value)
{
    if (value > s->state_max) {
        s->state_max = value;
    }
}

/*
 * virtio_scsi_dp_hint_valid: tell whether @idx names a usable hint slot.
 */
static bool virtio_scsi_dp_hint_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->hint_max) {
        return false;
    }
    return (s->hint_flags & (1u << (idx & 31))) != 0;
}

static const unsigned virtio_scsi_dp_config_defaults[] = {
    60, 30, 15, 39, 51, 25, 12, 6,
    25, 12, 6, 35, 17, 8, 36, 50,
    8, 36, 50, 57, 60, 62, 31, 47,
    62, 31, 47, 55, 59, 61, 30, 15,
    61, 30, 15, 39, 51, 57, 28, 46,
};
