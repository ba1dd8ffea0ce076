import { describe, it, expect } from 'vitest';
import { findEnclosingFunction, docSummary } from '../../src/context/function-doc.js';

/** Find the function around the line containing `marker` in `src`. */
function at(src: string, file: string, marker: string) {
  const lines = src.split('\n');
  const n = lines.findIndex((l) => l.includes(marker)) + 1;
  expect(n).toBeGreaterThan(0);
  return findEnclosingFunction(lines, n, file);
}

describe('findEnclosingFunction', () => {
  it('C: kernel-doc block, param lines dropped, the function spans to its closing brace', () => {
    const src = `/*
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>

/**
 * widget_flush() - write pending widget state.
 * @w: the widget
 *
 * Called with the widget lock held.
 */
static int widget_flush(struct widget *w)
{
    const char *s = "{ not a brace";
    char c = '}';
    QLIST_FOREACH(p, &w->parts, next) {
        part_flush(p); /* CRASH */
    }
    return 0;
}
`;
    const fn = at(src, 'widget.c', 'CRASH')!;
    expect(fn.name).toBe('widget_flush');
    expect(fn.startLine).toBe(12);
    expect(fn.endLine).toBe(20);
    expect(fn.doc).toBe('write pending widget state.\n\nCalled with the widget lock held.');
    expect(docSummary(fn.doc!)).toBe('write pending widget state.');
  });

  it('C: GNU-style header over two lines with a // comment block above', () => {
    const src = `int other(void) { return 1; }

// Parse one option.
// Returns 0 on success.
static int
parse_option (const char *arg,
              int flags)
{
  if (arg == NULL) {
    return -1; // CRASH
  }
  return 0;
}
`;
    const fn = at(src, 'opt.c', 'CRASH')!;
    expect(fn.name).toBe('parse_option');
    expect(fn.startLine).toBe(5);
    expect(fn.doc).toBe('Parse one option.\nReturns 0 on success.');
  });

  it('C: a license comment is not a doc; no comment gives null', () => {
    const src = `/* Copyright 2020 Nobody In Particular */
void f(void)
{
    g(); /* CRASH */
}
`;
    expect(at(src, 'f.c', 'CRASH')).toMatchObject({ name: 'f', doc: null });
  });

  it('C++: qualified method, lambda inside keeps the method', () => {
    const src = `namespace shop {
/// Adds up the cart.
int Cart::total(const Items& items) const {
  auto add = [&](int x) {
    return x + 1; // CRASH
  };
  return 0;
}
}
`;
    expect(at(src, 'cart.cpp', 'CRASH')).toMatchObject({ name: 'Cart::total', doc: 'Adds up the cart.' });
  });

  it('the header line of a definition belongs to that function (K&R and same-line braces)', () => {
    const src = `static int helper(void);

/* Start the device's IOThread if needed. */
static bool start_if_needed(Dev *d) // HEADER1
{
    return d->ctx != NULL;
}

int run(Dev *d) { // HEADER2
    return 0;
}
`;
    expect(at(src, 'd.c', 'HEADER1')).toMatchObject({ name: 'start_if_needed', startLine: 4, endLine: 7, doc: "Start the device's IOThread if needed." });
    expect(at(src, 'd.c', 'HEADER2')).toMatchObject({ name: 'run', startLine: 9, endLine: 11 });
    expect(at(src, 'd.c', 'helper')).toBeNull(); // a prototype
  });

  it('a line outside any function gives null', () => {
    expect(at('int x = 1; // CRASH\n', 'x.c', 'CRASH')).toBeNull();
    expect(at('struct s {\n  int a; // CRASH\n};\n', 'x.c', 'CRASH')).toBeNull();
  });

  it('Rust: /// above attributes, lifetimes do not confuse the scan, closures are skipped', () => {
    const src = `/// Splits a line into fields.
///
/// Panics on an empty line.
#[inline]
pub fn split<'a>(line: &'a str) -> Vec<&'a str> {
    let v: Vec<_> = line.split(',').map(|s| {
        s.trim() // CRASH
    }).collect();
    v
}
`;
    expect(at(src, 'lib.rs', 'CRASH')).toMatchObject({ name: 'split', doc: 'Splits a line into fields.\n\nPanics on an empty line.', startLine: 5, endLine: 10 });
  });

  it('Go: // doc above a method with a receiver; a func literal inside is skipped', () => {
    const src = `package cart

// Total returns the sum of the cart's prices.
func (c *Cart) Total() int {
	defer func() {
		recover() // CRASH
	}()
	return 0
}
`;
    expect(at(src, 'cart.go', 'CRASH')).toMatchObject({ name: 'Total', doc: "Total returns the sum of the cart's prices." });
  });

  it('Java: /** */ with tags, annotation between doc and method', () => {
    const src = `package com.acme.shop;

public class Cart {
    /**
     * Returns the price of one line.
     * @param i the line
     * @return the price
     */
    @Override
    public int price(int i) {
        return lines.get(i).price; // CRASH
    }
}
`;
    expect(at(src, 'Cart.java', 'CRASH')).toMatchObject({ name: 'price', doc: 'Returns the price of one line.' });
  });

  it('C#: /// <summary> XML doc', () => {
    const src = `namespace Shop {
  public class Cart {
    /// <summary>
    /// Checks out the cart.
    /// </summary>
    public void Checkout(int id) {
      throw new InvalidOperationException(); // CRASH
    }
  }
}
`;
    expect(at(src, 'Cart.cs', 'CRASH')).toMatchObject({ name: 'Checkout', doc: 'Checks out the cart.' });
  });

  it('TypeScript and JavaScript: arrow function constant, function declaration, class method', () => {
    const ts = `/** Loads the user's cart. */
export const loadCart = async (id: string) => {
  const r = await fetch(\`/cart/\${id}\`);
  return r.json(); // CRASH
};
`;
    expect(at(ts, 'cart.ts', 'CRASH')).toMatchObject({ name: 'loadCart', doc: "Loads the user's cart." });
    const js = `/**
 * Renders a row.
 */
function renderRow(row) {
  return row.cells.map((c) => {
    return c.text; // CRASH
  });
}
class View {
  /** Draws it. */
  draw(ctx) {
    ctx.fill(); // CRASH2
  }
}
`;
    expect(at(js, 'view.js', 'CRASH')).toMatchObject({ name: 'renderRow', doc: 'Renders a row.' });
    expect(at(js, 'view.js', 'CRASH2')).toMatchObject({ name: 'draw', doc: 'Draws it.' });
  });

  it('Python: docstring of the innermost def; the function ends where the indentation does', () => {
    const src = `import os

def outer(x):
    """Handle one order.

    Longer text.
    """
    def helper(y):
        return y
    total = helper(x)
    return total / 0  # CRASH

def after():
    pass
`;
    const fn = at(src, 'orders.py', 'CRASH')!;
    expect(fn).toMatchObject({ name: 'outer', startLine: 3, endLine: 11, doc: 'Handle one order.\n\nLonger text.' });
    const inner = `class A:
    @staticmethod
    def run(self):
        '''Runs.'''
        raise ValueError()  # CRASH
`;
    expect(at(inner, 'a.py', 'CRASH')).toMatchObject({ name: 'run', doc: 'Runs.', startLine: 2 });
  });

  it('unknown languages and bad lines give null, never throw', () => {
    expect(findEnclosingFunction(['x'], 1, 'README')).toBeNull();
    expect(findEnclosingFunction(['x'], 5, 'a.c')).toBeNull();
    expect(findEnclosingFunction(['{'.repeat(100_000)], 1, 'a.c')).toBeNull();
  });
});
