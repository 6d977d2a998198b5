import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayShortcut, matches, sameShortcut } from '../../../src/renderer/core/keys';
import { key } from './helpers';

test('Mod is Ctrl off macOS and ⌘ on macOS', () => {
  assert.ok(matches('Mod+Z', key('z', { ctrl: true }), false));
  assert.ok(!matches('Mod+Z', key('z', { meta: true }), false));
  assert.ok(matches('Mod+Z', key('z', { meta: true }), true));
  assert.ok(!matches('Mod+Z', key('z', { ctrl: true }), true));
});

test('modifiers must match exactly', () => {
  assert.ok(!matches('Mod+Z', key('Z', { ctrl: true, shift: true }), false));
  assert.ok(matches('Mod+Shift+Z', key('Z', { ctrl: true, shift: true }), false));
  assert.ok(!matches('Delete', key('Delete', { ctrl: true }), false));
  assert.ok(matches('Delete', key('Delete'), false));
});

test('digits match by code whatever the shifted character', () => {
  assert.ok(matches('Shift+1', { key: '!', code: 'Digit1', ctrlKey: false, metaKey: false, shiftKey: true, altKey: false }, false));
});

test('display and comparison', () => {
  assert.equal(displayShortcut('Mod+Shift+Z', false), 'Ctrl+Shift+Z');
  assert.equal(displayShortcut('Mod+Shift+Z', true), '⌘⇧Z');
  assert.equal(displayShortcut('Delete', false), 'Del');
  assert.ok(sameShortcut('mod+shift+z', 'Shift+Mod+Z'));
  assert.ok(!sameShortcut('Mod+Z', 'Mod+Shift+Z'));
});
