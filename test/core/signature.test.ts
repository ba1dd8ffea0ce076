import { describe, expect, it } from 'vitest';
import { normalizeFunction } from '../../src/signature/normalize.js';
import { makeSignature } from '../../src/signature/signature.js';
import { newFrame, type Frame, type Role } from '../../src/model.js';

const frame = (i: number, fn: string, role: Role, extra: Partial<Frame> = {}): Frame => ({ ...newFrame(i, fn), role, ...extra });

describe('function name normalisation', () => {
  it.each([
    ['scsi_complete_req.constprop.0', 'scsi_complete_req'],
    ['vq_notify.isra.0.cold', 'vq_notify'],
    ['std::vector<int, std::allocator<int> >::operator[]', 'std::vector::operator[]'],
    ['(anonymous namespace)::SlotTable<long>::acquire', '(anonymous namespace)::SlotTable::acquire'],
    ['shop::cart::total::h0123456789abcdef', 'shop::cart::total'],
    ['f(int, char const*)', 'f'],
    ['main::{lambda()#2}::operator()', 'main::{lambda}::operator()'],
    ['main.main.func3', 'main.main.func'],
    ['std::operator<< <std::char_traits<char> >', 'std::operator<<'],
    ['<module>', '<module>'],
    ['store::Journal::replay(int) [clone .isra.0] [clone .cold]', 'store::Journal::replay'],
    ['store::Journal::size() const', 'store::Journal::size'],
    ['void store::Journal::each<store::Entry>(std::function<void (store::Entry const&)>)', 'store::Journal::each'],
    ['operator new(unsigned long)', 'operator new'],
    ['Object.<anonymous>', 'Object.<anonymous>'],
    ['ledger::Book<T>::post', 'ledger::Book::post'],
  ])('%s → %s', (raw, want) => {
    expect(normalizeFunction(raw)).toBe(want);
  });
});

describe('signature', () => {
  const stack = (line: number, addr: string): Frame[] => [
    frame(0, 'raise', 'crash-handling'),
    frame(1, '<signal handler called>', 'crash-handling'),
    frame(2, 'scsi_complete_req.constprop.0', 'app', { line, address: addr, file: 'evloop.c' }),
    frame(3, 'aio_dispatch_handler', 'plumbing'),
    frame(4, 'scsi_handle_cmd', 'app', { line: line + 20 }),
    frame(5, 'memcpy', 'library'),
    frame(6, 'vq_notify', 'app'),
    frame(7, 'start_thread', 'plumbing'),
  ];

  it('skips crash-handling, plumbing and library frames when app frames exist', () => {
    const s = makeSignature({ kind: 'null-deref', format: 'gdb', frames: stack(41, '0x1'), crashIndex: 2, exceptionType: null, title: 't' });
    expect(s.text).toBe('null-deref | scsi_complete_req | scsi_handle_cmd | vq_notify');
    expect(s.id).toMatch(/^[0-9a-f]{16}$/);
    expect(s.version).toBe(1);
  });

  it('is the same for shifted lines and other addresses, different for another kind', () => {
    const a = makeSignature({ kind: 'null-deref', format: 'gdb', frames: stack(41, '0x1'), crashIndex: 2, exceptionType: null, title: 't' });
    const b = makeSignature({ kind: 'null-deref', format: 'gdb', frames: stack(97, '0x7f00'), crashIndex: 2, exceptionType: null, title: 'u' });
    const c = makeSignature({ kind: 'segv', format: 'gdb', frames: stack(41, '0x1'), crashIndex: 2, exceptionType: null, title: 't' });
    expect(b.id).toBe(a.id);
    expect(c.id).not.toBe(a.id);
  });

  it('keeps library frames when there is no app frame, and falls back to the title with numbers removed', () => {
    const lib = [frame(0, 'abort', 'crash-handling'), frame(1, '_int_free', 'library'), frame(2, 'free', 'library')];
    expect(makeSignature({ kind: 'double-free', format: 'gdb', frames: lib, crashIndex: 1, exceptionType: null, title: '' }).text).toBe('double-free | _int_free | free');
    expect(makeSignature({ kind: 'oom', format: 'gdb', frames: [], crashIndex: -1, exceptionType: null, title: 'oom: allocation of 4096 bytes at 0xdeadbeef failed' }).text).toBe('oom | oom: allocation of bytes at failed');
  });

  it('names scripting frames basename:function and adds the exception type', () => {
    const py = [frame(0, 'load', 'app', { file: '/srv/app/shop/cart.py' }), frame(1, 'main', 'app', { file: '/srv/app/main.py' })];
    expect(makeSignature({ kind: 'null-deref', format: 'python', frames: py, crashIndex: 0, exceptionType: 'AttributeError', title: '' }).text).toBe('null-deref | AttributeError | cart.py:load | main.py:main');
  });

  it('leaves out the functions a project ignores', () => {
    const s = makeSignature({ kind: 'abort', format: 'gdb', frames: [frame(0, 'shop_log_fatal', 'app'), frame(1, 'cart_total', 'app')], crashIndex: 0, exceptionType: null, title: '', ignore: ['shop_log_*'] });
    expect(s.text).toBe('abort | cart_total');
  });
});
