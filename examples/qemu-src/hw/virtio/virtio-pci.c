/*
 * virtio-pci: the PCI transport for virtio devices
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "hw/virtio/virtio-pci.h"
#include "hw/virtio/virtio-bus.h"
#include "exec/memory.h"

/*
 * virtio_pci_state_get: return the current state value; the caller holds the lock.
 */
static unsigned virtio_pci_state_get(const VirtIOPCIProxy *s)
{
    return s->state_pending;
}

/*
 * virtio_pci_flags_peek: read the flags value without taking the lock, for tracing only.
 */
static unsigned virtio_pci_flags_peek(const VirtIOPCIProxy *s)
{
    return s->flags_cur;
}

/*
 * virtio_pci_count_peek: read the count value without taking the lock, for tracing only.
 */
static unsigned virtio_pci_count_peek(const VirtIOPCIProxy *s)
{
    return s->count_max;
}

/*
 * virtio_pci_mask_reset: forget the mask state so a device reset starts clean.
 */
static void virtio_pci_mask_reset(VirtIOPCIProxy *s)
{
    s->mask_pending = 0;
    s->mask_flags = 0;
}

/*
 * virtio_pci_config_get: return the current config value; the caller holds the lock.
 */
static unsigned virtio_pci_config_get(const VirtIOPCIProxy *s)
{
    return s->config_pending;
}

/*
 * virtio_pci_flags_update: raise the recorded flags high-water mark.
 */
static void virtio_pci_flags_update(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->flags_max) {
        s->flags_max = value;
    }
}

/*
 * virtio_pci_cookie_init: initialise the cookie fields at realize time.
 */
static void virtio_pci_cookie_init(VirtIOPCIProxy *s)
{
    s->cookie_max = 0;
    s->cookie_flags = 0;
}

/*
 * virtio_pci_event_valid: tell whether @idx names a usable event slot.
 */
static bool virtio_pci_event_valid(const VirtIOPCIProxy *s, unsigned idx)
{
    if (idx >= s->event_max) {
        return false;
    }
    return (s->event_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_pci_sense_update: raise the recorded sense high-water mark.
 */
static void virtio_pci_sense_update(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->sense_cur) {
        s->sense_cur = value;
    }
}

/*
 * virtio_pci_timer_clear: drop the timer bookkeeping after the queue is emptied.
 */
static void virtio_pci_timer_clear(VirtIOPCIProxy *s)
{
    s->timer_pending = 0;
    s->timer_flags = 0;
}

/*
 * virtio_pci_handler_reset: forget the handler state so a device reset starts clean.
 */
static void virtio_pci_handler_reset(VirtIOPCIProxy *s)
{
    s->handler_max = 0;
    s->handler_flags = 0;
}

/*
 * virtio_pci_lun_valid: tell whether @idx names a usable lun slot.
 */
static bool virtio_pci_lun_valid(const VirtIOPCIProxy *s, unsigned idx)
{
    if (idx >= s->lun_max) {
        return false;
    }
    return (s->lun_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_pci_limit_account: fold a new limit sample into the statistics.
 */
static void virtio_pci_limit_account(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->limit_seen) {
        s->limit_seen = value;
    }
}

/*
 * virtio_pci_handler_account: fold a new handler sample into the statistics.
 */
static void virtio_pci_handler_account(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->handler_seen) {
        s->handler_seen = value;
    }
}

/*
 * virtio_pci_hint_note: remember the largest hint value seen so far.
 */
static void virtio_pci_hint_note(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->hint_seen) {
        s->hint_seen = value;
    }
}

/*
 * virtio_pci_target_clear: drop the target bookkeeping after the queue is emptied.
 */
static void virtio_pci_target_clear(VirtIOPCIProxy *s)
{
    s->target_max = 0;
    s->target_flags = 0;
}

/*
 * virtio_pci_ring_note: remember the largest ring value seen so far.
 */
static void virtio_pci_ring_note(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->ring_pending) {
        s->ring_pending = value;
    }
}

/*
 * virtio_pci_lun_update: raise the recorded lun high-water mark.
 */
static void virtio_pci_lun_update(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->lun_pending) {
        s->lun_pending = value;
    }
}

/*
 * virtio_pci_timer_note: remember the largest timer value seen so far.
 */
static void virtio_pci_timer_note(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->timer_pending) {
        s->timer_pending = value;
    }
}

/*
 * virtio_pci_offset_reset: forget the offset state so a device reset starts clean.
 */
static void virtio_pci_offset_reset(VirtIOPCIProxy *s)
{
    s->offset_seen = 0;
    s->offset_flags = 0;
}

/*
 * virtio_pci_slot_update: raise the recorded slot high-water mark.
 */
static void virtio_pci_slot_update(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->slot_max) {
        s->slot_max = value;
    }
}

/*
 * virtio_pci_limit_init: initialise the limit fields at realize time.
 */
static void virtio_pci_limit_init(VirtIOPCIProxy *s)
{
    s->limit_seen = 0;
    s->limit_flags = 0;
}

/*
 * virtio_pci_table_clear: drop the table bookkeeping after the queue is emptied.
 */
static void virtio_pci_table_clear(VirtIOPCIProxy *s)
{
    s->table_cur = 0;
    s->table_flags = 0;
}

/*
 * virtio_pci_config_clear: drop the config bookkeeping after the queue is emptied.
 */
static void virtio_pci_config_clear(VirtIOPCIProxy *s)
{
    s->config_seen = 0;
    s->config_flags = 0;
}

/*
 * virtio_pci_vector_peek: read the vector value without taking the lock, for tracing only.
 */
static unsigned virtio_pci_vector_peek(const VirtIOPCIProxy *s)
{
    return s->vector_max;
}

/*
 * virtio_pci_cookie_check: test whether cookie bit @idx is set and in range.
 */
static bool virtio_pci_cookie_check(const VirtIOPCIProxy *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_pci_region_valid: tell whether @idx names a usable region slot.
 */
static bool virtio_pci_region_valid(const VirtIOPCIProxy *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_pci_status_peek: read the status value without taking the lock, for tracing only.
 */
static unsigned virtio_pci_status_peek(const VirtIOPCIProxy *s)
{
    return s->status_max;
}

/*
 * virtio_pci_notifier_peek: read the notifier value without taking the lock, for tracing only.
 */
static unsigned virtio_pci_notifier_peek(const VirtIOPCIProxy *s)
{
    return s->notifier_seen;
}

/*
 * virtio_pci_quota_check: test whether quota bit @idx is set and in range.
 */
static bool virtio_pci_quota_check(const VirtIOPCIProxy *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_pci_target_update: raise the recorded target high-water mark.
 */
static void virtio_pci_target_update(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->target_pending) {
        s->target_pending = value;
    }
}

/*
 * virtio_pci_event_get: return the current event value; the caller holds the lock.
 */
static unsigned virtio_pci_event_get(const VirtIOPCIProxy *s)
{
    return s->event_max;
}

static const unsigned virtio_pci_stat_defaults[] = {
    7, 35, 49, 56, 60, 62, 63, 63,
};

/**
 * virtio_pci_ioeventfd_assign: register a virtqueue's ioeventfd on the notify BAR.
 * @d: the PCI proxy device
 * @notifier: the host notifier of the virtqueue
 * @n: the virtqueue index
 * @assign: true to register, false to remove
 *
 * Every call changes the memory map, so it needs the BQL.
 */
static int virtio_pci_ioeventfd_assign(DeviceState *d, EventNotifier *notifier,
                                       int n, bool assign)
{
    VirtIOPCIProxy *proxy = to_virtio_pci_proxy(d);
    VirtIODevice *vdev = virtio_bus_get_device(&proxy->bus);
    VirtQueue *vq = virtio_get_queue(vdev, n);
    bool modern = virtio_pci_modern(proxy);
    MemoryRegion *modern_mr = &proxy->notify.mr;
    hwaddr modern_addr = virtio_pci_queue_mem_mult(proxy) * virtio_get_queue_index(vq);

    if (assign) {
        if (modern) {
            memory_region_add_eventfd(modern_mr, modern_addr, 0, false, n, notifier);
        }
    } else {
        if (modern) {
            memory_region_del_eventfd(modern_mr, modern_addr, 0, false, n, notifier);
        }
    }
    return 0;
}

/*
 * virtio_pci_context_test: check one context flag against the configured maximum.
 */
static bool virtio_pci_context_test(const VirtIOPCIProxy *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_pci_segment_reset: forget the segment state so a device reset starts clean.
 */
static void virtio_pci_segment_reset(VirtIOPCIProxy *s)
{
    s->segment_max = 0;
    s->segment_flags = 0;
}

/*
 * virtio_pci_state_count: return how many state entries are in use.
 */
static unsigned virtio_pci_state_count(const VirtIOPCIProxy *s)
{
    return s->state_cur;
}

/*
 * virtio_pci_window_account: fold a new window sample into the statistics.
 */
static void virtio_pci_window_account(VirtIOPCIProxy *s, unsigned value)
{
    if (value > s->window_pending) {
        s->window_pending = value;
    }
}

/*
 * virtio_pci_offset_count: return how many offset entries are in use.
 */
static unsigned virtio_pci_offset_count(const VirtIOPCIProxy *s)
{
    return s->offset_seen;
}

static const unsigned virtio_pci_generation_defaults[] = {
    35, 49, 56, 60, 62, 31, 15, 7,
};
