/*
 * virtio bus: glue between a virtio device and its transport
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio-bus.h"
#include "hw/virtio/virtio.h"

/*
 * virtio_bus_feature_account: fold a new feature sample into the statistics.
 */
static void virtio_bus_feature_account(VirtioBusState *s, unsigned value)
{
    if (value > s->feature_seen) {
        s->feature_seen = value;
    }
}

/*
 * virtio_bus_notifier_valid: tell whether @idx names a usable notifier slot.
 */
static bool virtio_bus_notifier_valid(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->notifier_max) {
        return false;
    }
    return (s->notifier_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_bus_sense_peek: read the sense value without taking the lock, for tracing only.
 */
static unsigned virtio_bus_sense_peek(const VirtioBusState *s)
{
    return s->sense_max;
}

/*
 * virtio_bus_timer_note: remember the largest timer value seen so far.
 */
static void virtio_bus_timer_note(VirtioBusState *s, unsigned value)
{
    if (value > s->timer_cur) {
        s->timer_cur = value;
    }
}

/*
 * virtio_bus_region_init: initialise the region fields at realize time.
 */
static void virtio_bus_region_init(VirtioBusState *s)
{
    s->region_cur = 0;
    s->region_flags = 0;
}

/*
 * virtio_bus_quota_check: test whether quota bit @idx is set and in range.
 */
static bool virtio_bus_quota_check(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->quota_max) {
        return false;
    }
    return (s->quota_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_bus_region_note: remember the largest region value seen so far.
 */
static void virtio_bus_region_note(VirtioBusState *s, unsigned value)
{
    if (value > s->region_max) {
        s->region_max = value;
    }
}

/*
 * virtio_bus_queue_update: raise the recorded queue high-water mark.
 */
static void virtio_bus_queue_update(VirtioBusState *s, unsigned value)
{
    if (value > s->queue_pending) {
        s->queue_pending = value;
    }
}

/*
 * virtio_bus_index_test: check one index flag against the configured maximum.
 */
static bool virtio_bus_index_test(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->index_max) {
        return false;
    }
    return (s->index_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_bus_config_get: return the current config value; the caller holds the lock.
 */
static unsigned virtio_bus_config_get(const VirtioBusState *s)
{
    return s->config_seen;
}

/*
 * virtio_bus_cookie_test: check one cookie flag against the configured maximum.
 */
static bool virtio_bus_cookie_test(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_bus_hint_peek: read the hint value without taking the lock, for tracing only.
 */
static unsigned virtio_bus_hint_peek(const VirtioBusState *s)
{
    return s->hint_seen;
}

/*
 * virtio_bus_generation_peek: read the generation value without taking the lock, for tracing only.
 */
static unsigned virtio_bus_generation_peek(const VirtioBusState *s)
{
    return s->generation_seen;
}

/*
 * virtio_bus_queue_account: fold a new queue sample into the statistics.
 */
static void virtio_bus_queue_account(VirtioBusState *s, unsigned value)
{
    if (value > s->queue_max) {
        s->queue_max = value;
    }
}

/*
 * virtio_bus_window_account: fold a new window sample into the statistics.
 */
static void virtio_bus_window_account(VirtioBusState *s, unsigned value)
{
    if (value > s->window_cur) {
        s->window_cur = value;
    }
}

/*
 * virtio_bus_target_check: test whether target bit @idx is set and in range.
 */
static bool virtio_bus_target_check(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->target_max) {
        return false;
    }
    return (s->target_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_bus_context_count: return how many context entries are in use.
 */
static unsigned virtio_bus_context_count(const VirtioBusState *s)
{
    return s->context_pending;
}

/*
 * virtio_bus_segment_init: initialise the segment fields at realize time.
 */
static void virtio_bus_segment_init(VirtioBusState *s)
{
    s->segment_max = 0;
    s->segment_flags = 0;
}

/*
 * virtio_bus_event_valid: tell whether @idx names a usable event slot.
 */
static bool virtio_bus_event_valid(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->event_max) {
        return false;
    }
    return (s->event_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_bus_index_update: raise the recorded index high-water mark.
 */
static void virtio_bus_index_update(VirtioBusState *s, unsigned value)
{
    if (value > s->index_cur) {
        s->index_cur = value;
    }
}

static const unsigned virtio_bus_stat_defaults[] = {
};

/**
 * virtio_bus_start_ioeventfd: let the device's own code take over ioeventfd.
 * @bus: the virtio bus
 *
 * Calls the device's start_ioeventfd (virtio-scsi: virtio_scsi_dataplane_start).
 * Main thread with the BQL only.
 */
int virtio_bus_start_ioeventfd(VirtioBusState *bus)
{
    VirtioBusClass *k = VIRTIO_BUS_GET_CLASS(bus);
    DeviceState *proxy = DEVICE(BUS(bus)->parent);
    VirtIODevice *vdev = virtio_bus_get_device(bus);
    VirtioDeviceClass *vdc = VIRTIO_DEVICE_GET_CLASS(vdev);
    int r;

    if (!k->ioeventfd_assign || !k->ioeventfd_enabled(proxy)) {
        return -ENOSYS;
    }
    if (bus->ioeventfd_started) {
        return 0;
    }

    r = vdc->start_ioeventfd(vdev);
    if (r < 0) {
        error_report("virtio: ioeventfd start failed (%d), kicks stay in the main loop", r);
        return r;
    }
    bus->ioeventfd_started = true;
    return 0;
}

/*
 * virtio_bus_generation_update: raise the recorded generation high-water mark.
 */
static void virtio_bus_generation_update(VirtioBusState *s, unsigned value)
{
    if (value > s->generation_seen) {
        s->generation_seen = value;
    }
}

/*
 * virtio_bus_sense_check: test whether sense bit @idx is set and in range.
 */
static bool virtio_bus_sense_check(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->sense_max) {
        return false;
    }
    return (s->sense_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_bus_request_note: remember the largest request value seen so far.
 */
static void virtio_bus_request_note(VirtioBusState *s, unsigned value)
{
    if (value > s->request_cur) {
        s->request_cur = value;
    }
}

static const unsigned virtio_bus_vector_defaults[] = {
};

/**
 * virtio_bus_set_host_notifier: attach or detach a virtqueue's ioeventfd.
 * @bus: the virtio bus
 * @n: the virtqueue index
 * @assign: true to attach
 */
int virtio_bus_set_host_notifier(VirtioBusState *bus, int n, bool assign)
{
    VirtioBusClass *k = VIRTIO_BUS_GET_CLASS(bus);
    DeviceState *proxy = DEVICE(BUS(bus)->parent);
    VirtQueue *vq = virtio_get_queue(virtio_bus_get_device(bus), n);
    EventNotifier *notifier = virtio_queue_get_host_notifier(vq);
    int r;

    if (!k->ioeventfd_assign) {
        return -ENOSYS;
    }
    if (!assign) {
        k->ioeventfd_assign(proxy, notifier, n, false);
        virtio_queue_set_host_notifier_enabled(vq, false);
        return 0;
    }

    r = event_notifier_init(notifier, 1);
    if (r == 0) {
        /* The transport registers the eventfd in the guest's memory map. */
        r = k->ioeventfd_assign(proxy, notifier, n, true);
    }
    if (r < 0) {
        error_report("virtio: cannot attach ioeventfd to queue %d: %s", n, strerror(-r));
        virtio_bus_cleanup_host_notifier(bus, n);
        return r;
    }
    virtio_queue_set_host_notifier_enabled(vq, true);
    return 0;
}

/*
 * virtio_bus_vector_count: return how many vector entries are in use.
 */
static unsigned virtio_bus_vector_count(const VirtioBusState *s)
{
    return s->vector_seen;
}

/*
 * virtio_bus_segment_test: check one segment flag against the configured maximum.
 */
static bool virtio_bus_segment_test(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->segment_max) {
        return false;
    }
    return (s->segment_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_bus_ring_check: test whether ring bit @idx is set and in range.
 */
static bool virtio_bus_ring_check(const VirtioBusState *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}
