/** k6/html's Selection and Element on a real parse: the goquery behaviour k6 scripts rely on. */
import { describe, expect, it } from 'vitest';
import { Element } from './html-element.ts';
import { attrToProperty, convertDataValue, encodeValues, propertyToAttr } from './html-values.ts';
import { parseHTML } from './k6-html.ts';

const PAGE = `<!doctype html><html><head><title>T &amp; co</title></head><body>
<h1 class="title big" id="top">Hello <b>k6</b></h1>
<ul id="items"><li data-id="1" data-user-id="7">one</li><li class="sel" data-id="2" data-flag="true">two</li><li data-id="3.5" data-obj='{"a":[1]}' data-v="3.0">three</li></ul>
<form id="f" action="/send" method="post">
  <input name="user" value="ada"><input name="pass" type="password"><input type="checkbox" name="cb" checked>
  <input type="checkbox" name="cb2" checked="checked"><input type="radio" name="r" value="x">
  <input name="off" value="z" disabled="disabled"><input type="submit" name="go" value="Go">
  <select name="lang"><option value="en">English</option><option selected>fr</option></select>
  <select name="many" multiple><option value="a" selected>A</option><option value="b" selected>B</option><option value="c">C</option></select>
  <textarea name="note">hi &lt;there&gt;</textarea>
</form></body></html>`;

describe('Selection', () => {
  const doc = parseHTML(PAGE);
  const items = doc.find('#items li');

  it('find, text, html, attr (undefined when missing, or the default given)', () => {
    expect(doc.find('title').text()).toBe('T & co');
    expect(doc.find('h1').html()).toBe('Hello <b>k6</b>');
    expect(doc.find('h1').attr('class')).toBe('title big');
    expect(doc.find('h1').attr('nope')).toBeUndefined();
    expect(doc.find('h1').attr('nope', 'dflt')).toBe('dflt');
    expect(doc.find('#none').html()).toBe('');
  });

  it('size, eq, first, last, slice, filter, not, is, children, parent, siblings, next, prev, end', () => {
    expect(items.size()).toBe(3);
    expect([items.eq(1).text(), items.eq(-1).text(), items.first().text(), items.last().text()]).toEqual([
      'two',
      'three',
      'one',
      'three',
    ]);
    expect(items.slice(1).size()).toBe(2);
    expect(items.slice(0, 1).text()).toBe('one');
    expect(items.filter('.sel').text()).toBe('two');
    expect(items.filter((i) => i !== 1).size()).toBe(2);
    expect(items.not('.sel').size()).toBe(2);
    expect(items.eq(1).is('.sel')).toBe(true);
    expect(items.eq(0).is('.sel')).toBe(false);
    expect(doc.find('#items').children().size()).toBe(3);
    expect(items.first().parent().attr('id')).toBe('items');
    expect(items.first().siblings().size()).toBe(2);
    expect(items.first().next().text()).toBe('two');
    expect(items.last().prev().text()).toBe('two');
    expect(items.first().nextAll().size()).toBe(2);
    expect(items.first().nextUntil('.sel').size()).toBe(0);
    expect(items.filter('.sel').end().size()).toBe(3);
    expect(items.eq(2).index()).toBe(2);
    expect(items.index(items.eq(1))).toBe(1);
  });

  it('each passes (index, Element); map passes (index, Selection) and drops items whose callback throws', () => {
    const seen: string[] = [];
    items.each((i: number, el: Element) => seen.push(`${i}:${el.textContent()}:${el.nodeName()}`));
    expect(seen).toEqual(['0:one:li', '1:two:li', '2:three:li']);
    expect(items.map((_i: number, s: { attr(n: string): unknown }) => s.attr('data-id'))).toEqual(['1', '2', '3.5']);
    const kept = items.map((i: number) => {
      if (i === 1) throw new Error('dropped');
      return i;
    });
    expect(kept).toEqual([0, 2]);
    expect(() =>
      items.each(() => {
        throw new Error('boom');
      }),
    ).toThrow('the function passed to each() failed: boom');
    expect(() => items.map('x')).toThrow('the argument to map() must be a function');
  });

  it('data converts numbers, booleans and JSON as k6, with Go-style property names', () => {
    expect(items.eq(0).data('id')).toBe(1);
    expect(items.eq(2).data('id')).toBe(3.5);
    expect(items.eq(2).data('v')).toBe('3.0');
    expect(items.eq(1).data('flag')).toBe(true);
    expect(items.eq(2).data('obj')).toEqual({ a: [1] });
    expect(items.eq(0).data('userId')).toBe(7);
    expect(items.eq(0).data()).toEqual({ id: 1, userID: 7 });
    expect(doc.find('h1').data('id')).toBeUndefined();
  });

  it('val by element: input, select (selected option, or "" when none; an array when multiple), textarea', () => {
    expect(doc.find('input[name=user]').val()).toBe('ada');
    expect(doc.find('input[name=pass]').val()).toBe('');
    expect(doc.find('input[name=cb]').val()).toBe('on');
    expect(doc.find('select[name=lang]').val()).toBe('fr');
    expect(doc.find('select[name=many]').val()).toEqual(['a', 'b']);
    expect(doc.find('textarea').val()).toBe('hi &lt;there&gt;');
    expect(doc.find('h1').val()).toBeUndefined();
  });

  it('serialize leaves out buttons, disabled fields and boxes not checked="checked", sorted by name', () => {
    const form = doc.find('form');
    expect(form.serializeArray().map((f) => f.name)).toEqual(['user', 'pass', 'cb2', 'lang', 'many', 'note']);
    expect(form.serializeObject()).toMatchObject({ user: 'ada', cb2: 'on', many: ['a', 'b'] });
    expect(form.serialize()).toBe('cb2=on&lang=fr&many=a&many=b&note=hi+%26lt%3Bthere%26gt%3B&pass=&user=ada');
  });

  it('get gives Elements (undefined out of range) and toArray Selections', () => {
    const el = items.get(1) as Element;
    expect(el).toBeInstanceOf(Element);
    expect(el.textContent()).toBe('two');
    expect(el.className()).toBe('sel');
    expect(el.classList()).toEqual(['sel']);
    expect(el.getAttribute('data-id')).toBe('2');
    expect(el.hasAttribute('data-flag')).toBe(true);
    expect(el.previousElementSibling()?.textContent()).toBe('one');
    expect(el.parentElement()?.id()).toBe('items');
    expect(el.toString()).toBe('[object html.Node]');
    expect(items.get(3)).toBeUndefined();
    expect((items.get() as Element[]).length).toBe(3);
    expect(items.toArray().map((s) => s.text())).toEqual(['one', 'two', 'three']);
    expect((doc.find('h1').get(0) as Element).innerHTML()).toBe('Hello <b>k6</b>');
  });

  it('shows only its url when logged or serialized', () => {
    expect(JSON.stringify(parseHTML('<p>x</p>', 'http://127.0.0.1/p'))).toBe('{"url":"http://127.0.0.1/p"}');
    expect(JSON.stringify(doc.find('p').get())).toBe('[]');
    expect(Object.keys(items.get(0) as Element)).toEqual([]);
  });

  it('parseHTML of a fragment still finds its nodes; bad selector arguments are named', () => {
    const frag = parseHTML('<div><p class="a">x</p><p>y</p></div>');
    expect(frag.find('p').size()).toBe(2);
    expect(frag.find('p').first().attr('class')).toBe('a');
    expect(() => frag.find(42 as unknown as string)).toThrow(/find\(\): invalid argument, cannot use a number/);
  });
});

describe('html values', () => {
  it('data-* names and values as k6 converts them', () => {
    expect(attrToProperty('user-id')).toBe('userID');
    expect(attrToProperty('long-name-here')).toBe('longNameHere');
    expect(propertyToAttr('longNameHere')).toBe('long-name-here');
    expect(convertDataValue('')).toBeUndefined();
    expect(convertDataValue('null')).toBeUndefined();
    expect(convertDataValue('-2.5')).toBe(-2.5);
    expect(convertDataValue('1e3')).toBe('1e3');
    expect(convertDataValue('[1,')).toBe('[1,');
  });

  it("encodes form values as Go's url.Values.Encode", () => {
    expect(encodeValues({ b: 'x y', a: ["it's", '*~'] })).toBe('a=it%27s&a=%2A~&b=x+y');
  });
});
