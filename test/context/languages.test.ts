/**
 * Doc comments become frame explanations across languages, through buildContext on a small
 * tree (no git): each frame as its language's tool prints it.
 */
import { describe, it, expect, afterAll } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildContext } from '../../src/context/index.js';
import type { Frame } from '../../src/model.js';
import { frame, makeAnalysis, tempDir, type MiniRepo, removeTempDirs } from './mini-qemu.js';

afterAll(removeTempDirs);

const FILES: Record<string, string> = {
  'cmd/shop/cart.go': `package main

// Total adds up the prices in the cart.
func (c *Cart) Total() int {
	return c.items[0].price
}
`,
  'app/src/main/java/com/acme/shop/Cart.java': `package com.acme.shop;

class Cart {
    /** Returns the checkout price. */
    int checkout() {
        return lines.get(0).price;
    }
}
`,
  'shop/orders.py': `def place(order):
    """Places one order with the warehouse."""
    return order.items[0]
`,
  'src/parse.rs': `/// Parses one record.
pub fn parse(line: &str) -> u32 {
    line.parse().unwrap()
}
`,
  'web/cart.ts': `/** Renders the cart badge. */
export function renderBadge(n: number) {
  return n.toFixed(0);
}
`,
};

describe('doc comments as explanations', () => {
  it('Go, Java, Python, Rust and TypeScript frames get their function\'s doc', () => {
    const root = tempDir('crashlens-langs-');
    for (const [rel, text] of Object.entries(FILES)) {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    }
    const frames: Frame[] = [
      frame(0, 'main.(*Cart).Total', '/home/ci/src/github.com/acme/shop/cmd/shop/cart.go', 5, 'app'),
      frame(1, 'com.acme.shop.Cart.checkout', 'Cart.java', 6, 'app'),
      frame(2, 'place', '/srv/app/shop/orders.py', 3, 'app'),
      frame(3, 'shop::parse::parse', '/builds/shop/src/parse.rs', 3, 'app'),
      frame(4, 'renderBadge', 'webpack:///./web/cart.ts', 3, 'app'),
      frame(5, 'unrelated_name', '/x/web/cart.ts', 3, 'app'),
    ];
    const a = makeAnalysis({ lines: { crash: 1, completeReqStart: 1, completeCmdReq: 1, handleCmd: 1 } } as MiniRepo, {
      threads: [{ id: '1', name: null, crashed: true, state: null, frames }],
      crashFrame: frames[0],
      topFrame: frames[0],
    });
    const ctx = buildContext(a, { source: root, git: false })!;
    expect(ctx.function).toEqual({ name: 'Total', doc: 'Total adds up the prices in the cart.' });
    expect(frames.map((f) => f.explanation)).toEqual([
      'Total adds up the prices in the cart.',
      'Returns the checkout price.',
      'Places one order with the warehouse.',
      'Parses one record.',
      'Renders the cart badge.',
      undefined, // the frame names another function than the source has there
    ]);
    expect(frames.map((f) => f.location?.file)).toEqual([
      'cmd/shop/cart.go',
      'app/src/main/java/com/acme/shop/Cart.java',
      'shop/orders.py',
      'src/parse.rs',
      'web/cart.ts',
      'web/cart.ts',
    ]);
  });
});
