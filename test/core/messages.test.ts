import { describe, expect, it } from 'vitest';
import { scanMessages } from '../../src/formats/messages.js';

const one = (line: string, more: string[] = []) => scanMessages([line, ...more])[0];

describe('messages programs print as they die', () => {
  it('reads a glibc assertion line into expression, file, line and function', () => {
    const h = one("qemu-system-x86_64: ../system/memory.c:1109: memory_region_transaction_commit: Assertion `qemu_mutex_iothread_locked()' failed.");
    expect(h.assertion).toEqual({ expression: 'qemu_mutex_iothread_locked()', file: '../system/memory.c', line: 1109, function: 'memory_region_transaction_commit' });
    expect(h.kind).toBe('assertion');
  });

  it('reads BSD/musl and GLib assertions', () => {
    expect(one('Assertion failed: (n > 0), function pool_take, file pool.c, line 42.').assertion).toMatchObject({ expression: 'n > 0', function: 'pool_take', line: 42 });
    expect(one('**', []) ?? null).toBeNull();
    expect(one('ERROR:../hw/scsi/scsi-bus.c:1234:scsi_req_unref: assertion failed: (req->refcount > 0)').assertion).toMatchObject({
      expression: 'req->refcount > 0',
      file: '../hw/scsi/scsi-bus.c',
      line: 1234,
      function: 'scsi_req_unref',
    });
  });

  it('reads glibc heap and fortify messages', () => {
    expect(one('free(): double free detected in tcache 2').kind).toBe('double-free');
    expect(one('malloc(): corrupted top size').kind).toBe('heap-corruption');
    expect(one("*** Error in `./prog': double free or corruption (fasttop): 0x0000000001e2b010 ***").kind).toBe('double-free');
    expect(one('*** stack smashing detected ***: terminated').kind).toBe('stack-smashing');
    expect(one('*** buffer overflow detected ***: terminated').kind).toBe('stack-buffer-overflow');
  });

  it('reads terminate with what() and pure virtual calls', () => {
    const h = one("terminate called after throwing an instance of 'std::out_of_range'", ['  what():  vector::_M_range_check: __n (which is 7) >= this->size() (which is 3)']);
    expect(h.exception).toEqual({ type: 'std::out_of_range', message: 'vector::_M_range_check: __n (which is 7) >= this->size() (which is 3)' });
    expect(one('pure virtual method called').fact).toBe('pure-virtual');
  });

  it("reads the shell's signal summary but not ordinary prose", () => {
    expect(one('Segmentation fault (core dumped)').signal).toBe('SIGSEGV');
    expect(one('bash: line 1: 4242 Aborted                 (core dumped) ./prog').signal).toBe('SIGABRT');
    expect(one('the job was Aborted by the user because it took too long')).toBeUndefined();
  });
});
