import { describe, expect, it } from 'vitest';
import { parseFrameText, splitArgs } from '../../src/formats/frame-text.js';

describe('gdb frame text', () => {
  it('reads a C frame with arguments and a location', () => {
    const f = parseFrameText('virtio_scsi_complete_req (req=0x0, status=<optimized out>) at ../hw/scsi/virtio-scsi.c:112');
    expect(f).toMatchObject({ function: 'virtio_scsi_complete_req', args: 'req=0x0, status=<optimized out>', file: '../hw/scsi/virtio-scsi.c', line: 112 });
  });

  it('reads a library frame with `from`', () => {
    const f = parseFrameText('__pthread_kill_implementation (threadid=<optimized out>, signo=6) from /lib/x86_64-linux-gnu/libc.so.6');
    expect(f.function).toBe('__pthread_kill_implementation');
    expect(f.from).toBe('/lib/x86_64-linux-gnu/libc.so.6');
    expect(f.file).toBeNull();
  });

  it('keeps C++ names with templates, operators and anonymous namespaces whole', () => {
    expect(parseFrameText('std::vector<int, std::allocator<int> >::operator[] (this=0x0, __n=0) at /usr/include/c++/12/bits/stl_vector.h:1123').function).toBe(
      'std::vector<int, std::allocator<int> >::operator[]',
    );
    expect(parseFrameText('(anonymous namespace)::Ring<int>::push (this=0x0, v=3) at ring.cc:20').function).toBe('(anonymous namespace)::Ring<int>::push');
    expect(parseFrameText('Visitor::operator() (this=0x7ffe) at v.cc:3').function).toBe('Visitor::operator()');
    expect(parseFrameText('std::_Function_handler<void (), main::{lambda()#1}>::_M_invoke (__functor=...) at /usr/include/c++/12/bits/std_function.h:290').function).toBe(
      'std::_Function_handler<void (), main::{lambda()#1}>::_M_invoke',
    );
    expect(parseFrameText('std::operator<< <std::char_traits<char> > (__out=..., __s=0x0) at ostream:611').function).toBe('std::operator<< <std::char_traits<char> >');
  });

  it('is not fooled by parentheses and quotes inside string arguments', () => {
    const f = parseFrameText('log_line (fmt=0x4006f4 "x) at y.c:9 (", n=2) at log.c:33');
    expect(f.function).toBe('log_line');
    expect(f.file).toBe('log.c');
    expect(f.line).toBe(33);
  });

  it('reads frames without symbols and without arguments', () => {
    expect(parseFrameText('?? ()').function).toBeNull();
    expect(parseFrameText('main () at a.c:9')).toMatchObject({ function: 'main', args: '', file: 'a.c', line: 9 });
  });

  it('splits arguments at top-level commas only', () => {
    expect(splitArgs('s=0x55d1c4f0e8a0, req=0x0, name=0x4006f4 "a, b", v={x = 1, y = 2}')).toEqual([
      { name: 's', value: '0x55d1c4f0e8a0' },
      { name: 'req', value: '0x0' },
      { name: 'name', value: '0x4006f4 "a, b"' },
      { name: 'v', value: '{x = 1, y = 2}' },
    ]);
  });
});
