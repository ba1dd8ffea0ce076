/*
 * virtio-scsi: the virtio SCSI host bus adapter
 *
 * Part of the crashlens examples: a miniature, QEMU-like source tree written
 * for crashlens. Function names follow QEMU so that the example backtraces
 * line up with it; the code itself is our own and much smaller.
 *
 * SPDX-License-Identifier: MIT
 */

#include "qemu/osdep.h"
#include "qemu/error-report.h"
#include "hw/virtio/virtio-scsi.h"
#include "hw/virtio/virtio-bus.h"
#include "hw/scsi/scsi.h"
#include "scsi/constants.h"
#include "trace.h"

/*
 * virtio_scsi_request_update: raise the recorded request high-water mark.
 */
static void virtio_scsi_request_update(VirtIOSCSI *s, unsigned value)
{
    if (value > s->request_cur) {
        s->request_cur = value;
    }
}

/*
 * virtio_scsi_config_test: check one config flag against the configured maximum.
 */
static bool virtio_scsi_config_test(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->config_max) {
        return false;
    }
    return (s->config_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_hint_check: test whether hint bit @idx is set and in range.
 */
static bool virtio_scsi_hint_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->hint_max) {
        return false;
    }
    return (s->hint_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_ring_check: test whether ring bit @idx is set and in range.
 */
static bool virtio_scsi_ring_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_timer_account: fold a new timer sample into the statistics.
 */
static void virtio_scsi_timer_account(VirtIOSCSI *s, unsigned value)
{
    if (value > s->timer_seen) {
        s->timer_seen = value;
    }
}

/*
 * virtio_scsi_quota_count: return how many quota entries are in use.
 */
static unsigned virtio_scsi_quota_count(const VirtIOSCSI *s)
{
    return s->quota_cur;
}

static const unsigned virtio_scsi_cookie_defaults[] = {
    25, 44, 54, 59, 29, 46, 55, 59,
    46, 55, 59, 61, 62, 31, 47, 23,
    31, 47, 23, 11, 5, 34, 49, 24,
    34, 49, 24, 12, 38, 19, 9, 36,
};

/**
 * virtio_scsi_free_req: release a request and its scatter-gather list.
 * @req: the request; nothing may refer to it afterwards
 */
static void virtio_scsi_free_req(VirtIOSCSIReq *req)
{
    qemu_iovec_destroy(&req->resp_iov);
    qemu_sglist_destroy(&req->qsgl);
    g_free(req);
}

/**
 * virtio_scsi_complete_req: hand a finished request back to the guest.
 * @req: the request; its SCSI request holds status, residual and sense
 *
 * Builds the response, copies it into the guest's buffers, pushes the element
 * on its virtqueue, notifies the guest and drops the SCSI request reference.
 */
static void virtio_scsi_complete_req(VirtIOSCSIReq *req)
{
    VirtIOSCSI *s;
    VirtQueue *vq;

    s = req->dev;
    vq = req->vq;
    if (req->sreq) {
        virtio_scsi_fill_cmd_resp(&req->resp.cmd, req->sreq);
    }
    qemu_iovec_from_buf(&req->resp_iov, 0, &req->resp, req->resp_size);
    virtqueue_push(vq, &req->elem, req->qsgl.size + req->resp_iov.size);
    if (s->dataplane_started && !s->dataplane_fenced) {
        virtio_notify_irqfd(VIRTIO_DEVICE(s), vq);
    } else {
        virtio_notify(VIRTIO_DEVICE(s), vq);
    }

    if (req->sreq) {
        req->sreq->hba_private = NULL;
        scsi_req_unref(req->sreq);
    }
    virtio_scsi_free_req(req);
}

/*
 * virtio_scsi_handler_update: raise the recorded handler high-water mark.
 */
static void virtio_scsi_handler_update(VirtIOSCSI *s, unsigned value)
{
    if (value > s->handler_max) {
        s->handler_max = value;
    }
}

/*
 * virtio_scsi_window_count: return how many window entries are in use.
 */
static unsigned virtio_scsi_window_count(const VirtIOSCSI *s)
{
    return s->window_cur;
}

/*
 * virtio_scsi_flags_peek: read the flags value without taking the lock, for tracing only.
 */
static unsigned virtio_scsi_flags_peek(const VirtIOSCSI *s)
{
    return s->flags_max;
}

/*
 * virtio_scsi_index_count: return how many index entries are in use.
 */
static unsigned virtio_scsi_index_count(const VirtIOSCSI *s)
{
    return s->index_seen;
}

/*
 * virtio_scsi_mask_note: remember the largest mask value seen so far.
 */
static void virtio_scsi_mask_note(VirtIOSCSI *s, unsigned value)
{
    if (value > s->mask_max) {
        s->mask_max = value;
    }
}

/*
 * virtio_scsi_lun_get: return the current lun value; the caller holds the lock.
 */
static unsigned virtio_scsi_lun_get(const VirtIOSCSI *s)
{
    return s->lun_cur;
}

/*
 * virtio_scsi_context_valid: tell whether @idx names a usable context slot.
 */
static bool virtio_scsi_context_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->context_max) {
        return false;
    }
    return (s->context_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_mask_init: initialise the mask fields at realize time.
 */
static void virtio_scsi_mask_init(VirtIOSCSI *s)
{
    s->mask_cur = 0;
    s->mask_flags = 0;
}

/*
 * virtio_scsi_entry_account: fold a new entry sample into the statistics.
 */
static void virtio_scsi_entry_account(VirtIOSCSI *s, unsigned value)
{
    if (value > s->entry_cur) {
        s->entry_cur = value;
    }
}

/*
 * virtio_scsi_generation_peek: read the generation value without taking the lock, for tracing only.
 */
static unsigned virtio_scsi_generation_peek(const VirtIOSCSI *s)
{
    return s->generation_seen;
}

/*
 * virtio_scsi_event_reset: forget the event state so a device reset starts clean.
 */
static void virtio_scsi_event_reset(VirtIOSCSI *s)
{
    s->event_pending = 0;
    s->event_flags = 0;
}

/*
 * virtio_scsi_slot_clear: drop the slot bookkeeping after the queue is emptied.
 */
static void virtio_scsi_slot_clear(VirtIOSCSI *s)
{
    s->slot_max = 0;
    s->slot_flags = 0;
}

/*
 * virtio_scsi_count_check: test whether count bit @idx is set and in range.
 */
static bool virtio_scsi_count_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->count_max) {
        return false;
    }
    return (s->count_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_count_clear: drop the count bookkeeping after the queue is emptied.
 */
static void virtio_scsi_count_clear(VirtIOSCSI *s)
{
    s->count_seen = 0;
    s->count_flags = 0;
}

/*
 * virtio_scsi_budget_valid: tell whether @idx names a usable budget slot.
 */
static bool virtio_scsi_budget_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->budget_max) {
        return false;
    }
    return (s->budget_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_request_check: test whether request bit @idx is set and in range.
 */
static bool virtio_scsi_request_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->request_max) {
        return false;
    }
    return (s->request_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_vector_test: check one vector flag against the configured maximum.
 */
static bool virtio_scsi_vector_test(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_vector_init: initialise the vector fields at realize time.
 */
static void virtio_scsi_vector_init(VirtIOSCSI *s)
{
    s->vector_pending = 0;
    s->vector_flags = 0;
}

/*
 * virtio_scsi_vector_check: test whether vector bit @idx is set and in range.
 */
static bool virtio_scsi_vector_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->vector_max) {
        return false;
    }
    return (s->vector_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_vector_reset: forget the vector state so a device reset starts clean.
 */
static void virtio_scsi_vector_reset(VirtIOSCSI *s)
{
    s->vector_seen = 0;
    s->vector_flags = 0;
}

/*
 * virtio_scsi_generation_init: initialise the generation fields at realize time.
 */
static void virtio_scsi_generation_init(VirtIOSCSI *s)
{
    s->generation_pending = 0;
    s->generation_flags = 0;
}

/*
 * virtio_scsi_sense_init: initialise the sense fields at realize time.
 */
static void virtio_scsi_sense_init(VirtIOSCSI *s)
{
    s->sense_max = 0;
    s->sense_flags = 0;
}

/*
 * virtio_scsi_cache_reset: forget the cache state so a device reset starts clean.
 */
static void virtio_scsi_cache_reset(VirtIOSCSI *s)
{
    s->cache_cur = 0;
    s->cache_flags = 0;
}

/*
 * virtio_scsi_offset_note: remember the largest offset value seen so far.
 */
static void virtio_scsi_offset_note(VirtIOSCSI *s, unsigned value)
{
    if (value > s->offset_cur) {
        s->offset_cur = value;
    }
}

/*
 * virtio_scsi_entry_valid: tell whether @idx names a usable entry slot.
 */
static bool virtio_scsi_entry_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->entry_max) {
        return false;
    }
    return (s->entry_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_table_update: raise the recorded table high-water mark.
 */
static void virtio_scsi_table_update(VirtIOSCSI *s, unsigned value)
{
    if (value > s->table_max) {
        s->table_max = value;
    }
}

/*
 * virtio_scsi_handler_reset: forget the handler state so a device reset starts clean.
 */
static void virtio_scsi_handler_reset(VirtIOSCSI *s)
{
    s->handler_cur = 0;
    s->handler_flags = 0;
}

/*
 * virtio_scsi_offset_reset: forget the offset state so a device reset starts clean.
 */
static void virtio_scsi_offset_reset(VirtIOSCSI *s)
{
    s->offset_max = 0;
    s->offset_flags = 0;
}

/*
 * virtio_scsi_request_clear: drop the request bookkeeping after the queue is emptied.
 */
static void virtio_scsi_request_clear(VirtIOSCSI *s)
{
    s->request_cur = 0;
    s->request_flags = 0;
}

/*
 * virtio_scsi_index_clear: drop the index bookkeeping after the queue is emptied.
 */
static void virtio_scsi_index_clear(VirtIOSCSI *s)
{
    s->index_max = 0;
    s->index_flags = 0;
}

/*
 * virtio_scsi_slot_valid: tell whether @idx names a usable slot slot.
 */
static bool virtio_scsi_slot_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->slot_max) {
        return false;
    }
    return (s->slot_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_limit_update: raise the recorded limit high-water mark.
 */
static void virtio_scsi_limit_update(VirtIOSCSI *s, unsigned value)
{
    if (value > s->limit_pending) {
        s->limit_pending = value;
    }
}

/*
 * virtio_scsi_timer_test: check one timer flag against the configured maximum.
 */
static bool virtio_scsi_timer_test(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->timer_max) {
        return false;
    }
    return (s->timer_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_slot_get: return the current slot value; the caller holds the lock.
 */
static unsigned virtio_scsi_slot_get(const VirtIOSCSI *s)
{
    return s->slot_max;
}

/*
 * virtio_scsi_request_peek: read the request value without taking the lock, for tracing only.
 */
static unsigned virtio_scsi_request_peek(const VirtIOSCSI *s)
{
    return s->request_pending;
}

/*
 * virtio_scsi_stat_check: test whether stat bit @idx is set and in range.
 */
static bool virtio_scsi_stat_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->stat_max) {
        return false;
    }
    return (s->stat_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_window_note: remember the largest window value seen so far.
 */
static void virtio_scsi_window_note(VirtIOSCSI *s, unsigned value)
{
    if (value > s->window_seen) {
        s->window_seen = value;
    }
}

/*
 * virtio_scsi_feature_get: return the current feature value; the caller holds the lock.
 */
static unsigned virtio_scsi_feature_get(const VirtIOSCSI *s)
{
    return s->feature_cur;
}

/*
 * virtio_scsi_ring_note: remember the largest ring value seen so far.
 */
static void virtio_scsi_ring_note(VirtIOSCSI *s, unsigned value)
{
    if (value > s->ring_pending) {
        s->ring_pending = value;
    }
}

/*
 * virtio_scsi_queue_get: return the current queue value; the caller holds the lock.
 */
static unsigned virtio_scsi_queue_get(const VirtIOSCSI *s)
{
    return s->queue_max;
}

/*
 * virtio_scsi_mask_count: return how many mask entries are in use.
 */
static unsigned virtio_scsi_mask_count(const VirtIOSCSI *s)
{
    return s->mask_cur;
}

/*
 * virtio_scsi_region_note: remember the largest region value seen so far.
 */
static void virtio_scsi_region_note(VirtIOSCSI *s, unsigned value)
{
    if (value > s->region_max) {
        s->region_max = value;
    }
}

/*
 * virtio_scsi_window_account: fold a new window sample into the statistics.
 */
static void virtio_scsi_window_account(VirtIOSCSI *s, unsigned value)
{
    if (value > s->window_seen) {
        s->window_seen = value;
    }
}

/*
 * virtio_scsi_status_note: remember the largest status value seen so far.
 */
static void virtio_scsi_status_note(VirtIOSCSI *s, unsigned value)
{
    if (value > s->status_max) {
        s->status_max = value;
    }
}

/*
 * virtio_scsi_window_reset: forget the window state so a device reset starts clean.
 */
static void virtio_scsi_window_reset(VirtIOSCSI *s)
{
    s->window_cur = 0;
    s->window_flags = 0;
}

/*
 * virtio_scsi_cache_get: return the current cache value; the caller holds the lock.
 */
static unsigned virtio_scsi_cache_get(const VirtIOSCSI *s)
{
    return s->cache_cur;
}

/*
 * virtio_scsi_hint_test: check one hint flag against the configured maximum.
 */
static bool virtio_scsi_hint_test(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->hint_max) {
        return false;
    }
    return (s->hint_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_feature_valid: tell whether @idx names a usable feature slot.
 */
static bool virtio_scsi_feature_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->feature_max) {
        return false;
    }
    return (s->feature_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_stat_peek: read the stat value without taking the lock, for tracing only.
 */
static unsigned virtio_scsi_stat_peek(const VirtIOSCSI *s)
{
    return s->stat_pending;
}

static const unsigned virtio_scsi_request_defaults[] = {
    54, 59, 29, 14, 39, 19, 9, 4,
    19, 9, 4, 2, 33, 48, 56, 60,
    48, 56, 60, 30, 47, 55, 27, 45,
    55, 27, 45, 54, 59, 29, 46, 55,
};

/**
 * virtio_scsi_defer_to_dataplane: let the IOThread take over, if there is one.
 * @s: the device
 *
 * Main-loop only: starting ioeventfd changes the memory map, which needs the BQL.
 * Returns true when the caller should leave this kick to the IOThread.
 */
static bool virtio_scsi_defer_to_dataplane(VirtIOSCSI *s)
{
    if (!s->ctx || s->dataplane_started) {
        return false;
    }

    virtio_device_start_ioeventfd(&s->parent_obj.parent_obj);
    return !s->dataplane_fenced;
}

static void virtio_scsi_handle_ctrl(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSCSI *s = VIRTIO_SCSI(vdev);

    if (virtio_scsi_defer_to_dataplane(s)) {
        return;
    }

    virtio_scsi_acquire(s);
    virtio_scsi_handle_ctrl_vq(s, vq);
    virtio_scsi_release(s);
}

/**
 * virtio_scsi_complete_cmd_req: finish a command request.
 * @req: the request that owns the completed SCSI request
 */
static void virtio_scsi_complete_cmd_req(VirtIOSCSIReq *req)
{
    /* The response is built from req->sreq in virtio_scsi_complete_req(). */
    trace_virtio_scsi_cmd_resp(req);

    virtio_scsi_complete_req(req);
}

/*
 * virtio_scsi_region_check: test whether region bit @idx is set and in range.
 */
static bool virtio_scsi_region_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->region_max) {
        return false;
    }
    return (s->region_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_ring_test: check one ring flag against the configured maximum.
 */
static bool virtio_scsi_ring_test(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->ring_max) {
        return false;
    }
    return (s->ring_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_request_init: initialise the request fields at realize time.
 */
static void virtio_scsi_request_init(VirtIOSCSI *s)
{
    s->request_cur = 0;
    s->request_flags = 0;
}

static const unsigned virtio_scsi_table_defaults[] = {
    45, 54, 59, 61, 62, 63, 31, 15,
    63, 31, 15, 7, 3, 33, 16, 40,
    33, 16, 40, 20, 10, 5, 2, 33,
    5, 2, 33, 16, 8, 36, 18, 41,
    36, 18, 41, 52, 58, 61, 62, 31,
};

/**
 * virtio_scsi_command_complete: SCSIBusInfo.complete callback.
 * @r: the SCSI request that finished
 * @resid: bytes the device did not transfer
 *
 * Records the residual, then completes the virtio-scsi request that owns @r.
 */
static void virtio_scsi_command_complete(SCSIRequest *r, size_t resid)
{
    VirtIOSCSIReq *req = r->hba_private;

    if (r->io_canceled) {
        return;
    }

    /*
     * Status, residual and sense are read back from @r when the response
     * is built, so that the cancel path and this one share the code.
     */
    r->resid = resid;
    trace_virtio_scsi_cmd_done(r->tag, r->status, resid);

    if (r->status != GOOD) {
        trace_virtio_scsi_cmd_sense(r->tag, r->sense_len);
    }

    virtio_scsi_complete_cmd_req(req);
}

/*
 * virtio_scsi_config_note: remember the largest config value seen so far.
 */
static void virtio_scsi_config_note(VirtIOSCSI *s, unsigned value)
{
    if (value > s->config_max) {
        s->config_max = value;
    }
}

/*
 * virtio_scsi_notifier_count: return how many notifier entries are in use.
 */
static unsigned virtio_scsi_notifier_count(const VirtIOSCSI *s)
{
    return s->notifier_pending;
}

static const unsigned virtio_scsi_handler_defaults[] = {
    15, 39, 51, 57, 60, 30, 47, 23,
    30, 47, 23, 43, 21, 42, 53, 26,
    42, 53, 26, 13, 38, 19, 41, 52,
};

/**
 * virtio_scsi_request_cancelled: SCSIBusInfo.cancel callback.
 * @r: the SCSI request that was cancelled
 *
 * A device reset answers VIRTIO_SCSI_S_RESET, anything else VIRTIO_SCSI_S_ABORTED.
 */
static void virtio_scsi_request_cancelled(SCSIRequest *r)
{
    VirtIOSCSIReq *req = r->hba_private;

    if (!req) {
        return;
    }
    if (req->dev->resetting) {
        req->resp.cmd.response = VIRTIO_SCSI_S_RESET;
    } else {
        req->resp.cmd.response = VIRTIO_SCSI_S_ABORTED;
    }
    virtio_scsi_complete_cmd_req(req);
}

/*
 * virtio_scsi_handler_get: return the current handler value; the caller holds the lock.
 */
static unsigned virtio_scsi_handler_get(const VirtIOSCSI *s)
{
    return s->handler_seen;
}

/*
 * virtio_scsi_sense_check: test whether sense bit @idx is set and in range.
 */
static bool virtio_scsi_sense_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->sense_max) {
        return false;
    }
    return (s->sense_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_flags_check: test whether flags bit @idx is set and in range.
 */
static bool virtio_scsi_flags_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->flags_max) {
        return false;
    }
    return (s->flags_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_cookie_check: test whether cookie bit @idx is set and in range.
 */
static bool virtio_scsi_cookie_check(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->cookie_max) {
        return false;
    }
    return (s->cookie_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_event_valid: tell whether @idx names a usable event slot.
 */
static bool virtio_scsi_event_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->event_max) {
        return false;
    }
    return (s->event_flags & (1u << (idx & 31))) != 0;
}

static const unsigned virtio_scsi_queue_defaults[] = {
    37, 18, 9, 36, 18, 9, 36, 18,
};

/**
 * virtio_scsi_handle_cmd_vq: pop, prepare and submit every pending command.
 * @s: the device
 * @vq: the request queue that was kicked
 */
static void virtio_scsi_handle_cmd_vq(VirtIOSCSI *s, VirtQueue *vq)
{
    VirtIOSCSIReq *req, *next;
    QTAILQ_HEAD(, VirtIOSCSIReq) reqs = QTAILQ_HEAD_INITIALIZER(reqs);

    do {
        virtio_queue_set_notification(vq, 0);
        while ((req = virtio_scsi_pop_req(s, vq))) {
            if (virtio_scsi_handle_cmd_req_prepare(s, req) == 0) {
                QTAILQ_INSERT_TAIL(&reqs, req, next);
            }
        }
        virtio_queue_set_notification(vq, 1);
    } while (!virtio_queue_empty(vq));

    QTAILQ_FOREACH_SAFE(req, &reqs, next, next) {
        virtio_scsi_handle_cmd_req_submit(s, req);
    }
}

/*
 * virtio_scsi_target_clear: drop the target bookkeeping after the queue is emptied.
 */
static void virtio_scsi_target_clear(VirtIOSCSI *s)
{
    s->target_max = 0;
    s->target_flags = 0;
}

static const unsigned virtio_scsi_hint_defaults[] = {
    48, 24, 12, 38, 19, 9, 4, 2,
    9, 4, 2, 1, 0, 32, 48, 24,
    32, 48, 24, 44, 22, 11, 37, 18,
    11, 37, 18, 9, 36, 50, 25, 12,
    50, 25, 12, 38, 51, 25, 44, 22,
};

/**
 * virtio_scsi_handle_cmd: handle_output of the request queues.
 */
static void virtio_scsi_handle_cmd(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSCSI *s = VIRTIO_SCSI(vdev);

    if (virtio_scsi_defer_to_dataplane(s)) {
        return;
    }

    virtio_scsi_acquire(s);
    virtio_scsi_handle_cmd_vq(s, vq);
    virtio_scsi_release(s);
}

/*
 * virtio_scsi_count_reset: forget the count state so a device reset starts clean.
 */
static void virtio_scsi_count_reset(VirtIOSCSI *s)
{
    s->count_cur = 0;
    s->count_flags = 0;
}

/*
 * virtio_scsi_queue_valid: tell whether @idx names a usable queue slot.
 */
static bool virtio_scsi_queue_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->queue_max) {
        return false;
    }
    return (s->queue_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_limit_peek: read the limit value without taking the lock, for tracing only.
 */
static unsigned virtio_scsi_limit_peek(const VirtIOSCSI *s)
{
    return s->limit_pending;
}

/*
 * virtio_scsi_cookie_peek: read the cookie value without taking the lock, for tracing only.
 */
static unsigned virtio_scsi_cookie_peek(const VirtIOSCSI *s)
{
    return s->cookie_cur;
}

/*
 * virtio_scsi_window_valid: tell whether @idx names a usable window slot.
 */
static bool virtio_scsi_window_valid(const VirtIOSCSI *s, unsigned idx)
{
    if (idx >= s->window_max) {
        return false;
    }
    return (s->window_flags & (1u << (idx & 31))) != 0;
}

/*
 * virtio_scsi_count_init: initialise the count fields at realize time.
 */
static void virtio_scsi_count_init(VirtIOSCSI *s)
{
    s->count_pending = 0;
    s->count_flags = 0;
}

/*
 * virtio_scsi_sense_clear: drop the sense bookkeeping after the queue is emptied.
 */
static void virtio_scsi_sense_clear(VirtIOSCSI *s)
{
    s->sense_cur = 0;
    s->sense_flags = 0;
}

static const unsigned virtio_scsi_segment_defaults[] = {
    21, 42, 21, 42, 53, 58, 61, 30,
    58, 61, 30, 15, 7, 3, 1, 32,
    3, 1, 32, 48, 24, 12, 6, 35,
    12, 6, 35, 49, 56, 28, 14, 7,
    28, 14, 7, 35, 17, 40, 20, 42,
};

/**
 * virtio_scsi_push_event: tell the guest about a hot-plug, unplug or reset.
 * @s: the device
 * @info: which target and LUN, and what happened
 */
static void virtio_scsi_push_event(VirtIOSCSI *s, const VirtIOSCSIEventInfo *info)
{
    VirtIOSCSIReq *req;
    VirtIOSCSIEvent *evt;

    req = virtio_scsi_pop_req(s, s->event_vq);
    if (!req) {
        s->events_dropped = true;
        return;
    }
    evt = &req->resp.event;
    memset(evt, 0, sizeof(*evt));
    evt->event = virtio_tswap32(VIRTIO_DEVICE(s), info->event);
    evt->reason = virtio_tswap32(VIRTIO_DEVICE(s), info->reason);
    virtio_scsi_encode_lun(evt->lun, info->target, info->lun);
    virtio_scsi_complete_req(req);
}

/*
 * virtio_scsi_budget_reset: forget the budget state so a device reset starts clean.
 */
static void virtio_scsi_budget_reset(VirtIOSCSI *s)
{
    s->budget_max = 0;
    s->budget_flags = 0;
}

/*
 * virtio_scsi_mask_reset: forget the mask state so a device reset starts clean.
 */
static void virtio_scsi_mask_reset(VirtIOSCSI *s)
{
    s->mask_cur = 0;
    s->mask_flags = 0;
}

/*
 * virtio_scsi_ring_count: return how many ring entries are in use.
 */
static unsigned virtio_scsi_ring_count(const VirtIOSCSI *s)
{
    return s->ring_seen;
}

/*
 * virtio_scsi_region_get: return the current region value; the caller holds the lock.
 */
static unsigned virtio_scsi_region_get(const VirtIOSCSI *s)
{
    return s->region_cur;
}

static const unsigned virtio_scsi_entry_defaults[] = {
    46, 23, 11, 37, 18, 9, 36, 50,
};

/**
 * virtio_scsi_handle_event: handle_output of the event queue.
 */
static void virtio_scsi_handle_event(VirtIODevice *vdev, VirtQueue *vq)
{
    VirtIOSCSI *s = VIRTIO_SCSI(vdev);

    if (virtio_scsi_defer_to_dataplane(s)) {
        return;
    }

    virtio_scsi_acquire(s);
    virtio_scsi_handle_event_vq(s, vq);
    virtio_scsi_release(s);
}

/*
 * virtio_scsi_lun_clear: drop the lun bookkeeping after the queue is emptied.
 */
static void virtio_scsi_lun_clear(VirtIOSCSI *s)
{
    s->lun_cur = 0;
    s->lun_flags = 0;
}

/*
 * virtio_scsi_handler_count: return how many handler entries are in use.
 */
static unsigned virtio_scsi_handler_count(const VirtIOSCSI *s)
{
    return s->handler_max;
}

/*
 * virtio_scsi_entry_update: raise the recorded entry high-water mark.
 */
static void virtio_scsi_entry_update(VirtIOSCSI *s, unsigned value)
{
    if (value > s->entry_seen) {
        s->entry_seen = value;
    }
}

/*
 * virtio_scsi_quota_reset: forget the quota state so a device reset starts clean.
 */
static void virtio_scsi_quota_reset(VirtIOSCSI *s)
{
    s->quota_pending = 0;
    s->quota_flags = 0;
}

static const unsigned virtio_scsi_context_defaults[] = {
    46, 55, 59, 29, 14, 39, 19, 9,
    39, 19, 9, 36, 50, 25, 44, 54,
};

/**
 * virtio_scsi_drained_begin: the block layer starts draining this device.
 * @bus: the SCSI bus of the device
 *
 * Detaches the host notifiers so that no new requests arrive while the
 * block layer waits for the ones in flight.
 */
static void virtio_scsi_drained_begin(SCSIBus *bus)
{
    VirtIOSCSI *s = container_of(bus, VirtIOSCSI, bus);
    uint32_t total = VIRTIO_SCSI_VQ_NUM_FIXED + s->parent_obj.conf.num_queues;

    if (!s->dataplane_started) {
        return;
    }
    for (uint32_t i = 0; i < total; i++) {
        virtio_queue_aio_detach_host_notifier(virtio_get_queue(VIRTIO_DEVICE(s), i), s->ctx);
    }
}

/**
 * virtio_scsi_drained_end: the block layer finished draining this device.
 * @bus: the SCSI bus of the device
 *
 * Re-attaches the host notifiers detached by virtio_scsi_drained_begin().
 */
static void virtio_scsi_drained_end(SCSIBus *bus)
{
    VirtIOSCSI *s = container_of(bus, VirtIOSCSI, bus);
    uint32_t total = VIRTIO_SCSI_VQ_NUM_FIXED + s->parent_obj.conf.num_queues;

    if (!s->dataplane_started) {
        return;
    }
    for (uint32_t i = 0; i < total; i++) {
        virtio_queue_aio_attach_host_notifier(virtio_get_queue(VIRTIO_DEVICE(s), i), s->ctx);
    }
}

/*
 * virtio_scsi_context_update: raise the recorded context high-water mark.
 */
static void virtio_scsi_context_update(VirtIOSCSI *s, unsigned value)
{
    if (value > s->context_max) {
        s->context_max = value;
    }
}

/*
 * virtio_scsi_hint_peek: read the hint value without taking the lock, for tracing only.
 */
static unsigned virtio_scsi_hint_peek(const VirtIOSCSI *s)
{
    return s->hint_pending;
}

/*
 * virtio_scsi_state_account: fold a new state sample into the statistics.
 */
static void virtio_scsi_state_account(VirtIOSCSI *s, unsigned value)
{
    if (value > s->state_pending) {
        s->state_pending = value;
    }
}

/*
 * virtio_scsi_cookie_init: initialise the cookie fields at realize time.
 */
static void virtio_scsi_cookie_init(VirtIOSCSI *s)
{
    s->cookie_seen = 0;
    s->cookie_flags = 0;
}

static const unsigned virtio_scsi_cookie_defaults[] = {
};

static const SCSIBusInfo virtio_scsi_scsi_info = {
    .tcq = true,
    .max_channel = VIRTIO_SCSI_MAX_CHANNEL,
    .max_target = VIRTIO_SCSI_MAX_TARGET,
    .max_lun = VIRTIO_SCSI_MAX_LUN,

    .complete = virtio_scsi_command_complete,
    .fail = virtio_scsi_command_failed,
    .cancel = virtio_scsi_request_cancelled,
    .change = virtio_scsi_change,
    .parse_cdb = virtio_scsi_parse_cdb,
    .get_sg_list = virtio_scsi_get_sg_list,
    .save_request = virtio_scsi_save_request,
    .load_request = virtio_scsi_load_request,
    .drained_begin = virtio_scsi_drained_begin,
    .drained_end = virtio_scsi_drained_end,
};

static void virtio_scsi_register_types(void)
{
    type_register_static(&virtio_scsi_info);
}

type_init(virtio_scsi_register_types)
