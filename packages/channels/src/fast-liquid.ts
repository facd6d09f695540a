import { TemplateError } from './errors.js';

/**
 * liquidjs renders through generators, about 5 µs per `{{ }}`: too slow for tens of thousands
 * of messages a second. Templates that keep to the common subset — outputs over paths and
 * literals with the usual filters, `if`/`elsif`/`else`/`unless` over simple comparisons joined
 * by `and`/`or`, `for` over a list (with `limit`, `offset`, `else`, `forloop`), `assign` — are
 * compiled here into closures once per template version, with liquidjs's semantics (own
 * properties only, Liquid truthiness, output escaping). Anything else returns null and
 * liquidjs renders it (and bounds it). `fast-liquid.test.ts` checks both agree.
 */

export type FastTemplate = (scope: Record<string, unknown>) => string;

type Scope = { vars: Map<string, unknown>[]; root: Record<string, unknown>; budget: { loops: number } };
type Eval = (scope: Scope) => unknown;
type Node = (scope: Scope, out: string[]) => void;

/** Loop iterations one render may take, over all loops (liquidjs's memory limit does this there). */
const maxLoopIterations = 100_000;

class Unsupported extends Error {}

const hasOwn = Object.prototype.hasOwnProperty;

function readProperty(value: unknown, key: string | number): unknown {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'object' && typeof value !== 'string') return undefined;
  if (hasOwn.call(value, key)) return (value as Record<string | number, unknown>)[key];
  if (key === 'size' && (Array.isArray(value) || typeof value === 'string')) return value.length;
  if (Array.isArray(value)) {
    if (key === 'first') return value[0];
    if (key === 'last') return value[value.length - 1];
  }
  return undefined;
}

const isFalsy = (value: unknown) => value === false || value === null || value === undefined;

function stringify(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(stringify).join('');
  return String(value);
}

const escapes: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&#34;',
  "'": '&#39;',
};
const escapeHtml = (value: string) => value.replace(/[&<>"']/g, (c) => escapes[c] as string);

function enumerable(value: unknown): unknown[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return value.length > 0 ? [value] : [];
  if (value !== null && typeof value === 'object') {
    return Object.keys(value).map((key) => [key, (value as Record<string, unknown>)[key]]);
  }
  return [];
}

// ---- expressions -------------------------------------------------------------------------

function compilePath(source: string): Eval {
  const text = source.trim();
  if (text.startsWith('"') || text.startsWith("'")) {
    const quote = text[0] as string;
    if (text.length < 2 || !text.endsWith(quote) || text.slice(1, -1).includes(quote))
      throw new Unsupported();
    const literal = text.slice(1, -1);
    return () => literal;
  }
  if (/^-?\d+(\.\d+)?$/.test(text)) {
    const number = Number(text);
    return () => number;
  }
  if (text === 'true') return () => true;
  if (text === 'false') return () => false;
  if (text === 'nil' || text === 'null') return () => null;
  const parts: Array<string | number> = [];
  const segment = /\.([A-Za-z_][\w-]*\??)|\[(\d+)\]|\["([^"\]]*)"\]|\['([^'\]]*)'\]/y;
  const head = /^[A-Za-z_][\w-]*\??/.exec(text);
  if (!head || head[0] === 'empty' || head[0] === 'blank') throw new Unsupported();
  let at = head[0].length;
  while (at < text.length) {
    segment.lastIndex = at;
    const match = segment.exec(text);
    if (!match) throw new Unsupported();
    parts.push(match[1] ?? (match[2] !== undefined ? Number(match[2]) : (match[3] ?? match[4] ?? '')));
    at = segment.lastIndex;
  }
  const name = head[0];
  return (scope) => {
    let value: unknown;
    let found = false;
    for (let i = scope.vars.length - 1; i >= 0; i -= 1) {
      const vars = scope.vars[i] as Map<string, unknown>;
      if (vars.has(name)) {
        value = vars.get(name);
        found = true;
        break;
      }
    }
    if (!found) value = hasOwn.call(scope.root, name) ? scope.root[name] : undefined;
    for (const part of parts) value = readProperty(value, part);
    return value;
  };
}

type Filter = (value: unknown, args: unknown[]) => unknown;

const filters: Record<string, { arity: number[]; run: Filter }> = {
  default: {
    arity: [1],
    run: (v, [d]) => ((Array.isArray(v) || typeof v === 'string' ? v.length === 0 : isFalsy(v)) ? d : v),
  },
  size: { arity: [0], run: (v) => (v as { length?: number } | null)?.length ?? 0 },
  escape: { arity: [0], run: (v) => escapeHtml(stringify(v)) },
  upcase: { arity: [0], run: (v) => stringify(v).toUpperCase() },
  downcase: { arity: [0], run: (v) => stringify(v).toLowerCase() },
  capitalize: {
    arity: [0],
    run: (v) => {
      const s = stringify(v);
      return s.charAt(0).toUpperCase() + s.slice(1).toLowerCase();
    },
  },
  strip: { arity: [0], run: (v) => stringify(v).trim() },
  append: { arity: [1], run: (v, [a]) => stringify(v) + stringify(a) },
  prepend: { arity: [1], run: (v, [a]) => stringify(a) + stringify(v) },
  url_encode: { arity: [0], run: (v) => encodeURIComponent(stringify(v)).replace(/%20/g, '+') },
};

interface CompiledOutput {
  evaluate: Eval;
  raw: boolean;
}

function splitOutside(text: string, separator: string): string[] {
  const parts: string[] = [];
  let quote = '';
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i] as string;
    if (quote) {
      if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === separator) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (quote) throw new Unsupported();
  parts.push(text.slice(start));
  return parts;
}

function compileFiltered(source: string): CompiledOutput {
  const [head, ...rest] = splitOutside(source, '|');
  const base = compilePath(head ?? '');
  let raw = false;
  const chain: Array<{ run: Filter; args: Eval[] }> = [];
  for (const part of rest) {
    const colon = part.indexOf(':');
    const name = (colon === -1 ? part : part.slice(0, colon)).trim();
    if (name === 'raw') {
      raw = true;
      continue;
    }
    const filter = filters[name];
    if (!filter) throw new Unsupported();
    const args =
      colon === -1
        ? []
        : splitOutside(part.slice(colon + 1), ',').map((arg) => {
            if (arg.includes(':')) throw new Unsupported();
            return compilePath(arg);
          });
    if (!filter.arity.includes(args.length)) throw new Unsupported();
    chain.push({ run: filter.run, args });
  }
  return {
    raw,
    evaluate: (scope) => {
      let value = base(scope);
      for (const { run, args } of chain)
        value = run(
          value,
          args.map((arg) => arg(scope)),
        );
      return value;
    },
  };
}

const comparisons: Record<string, (l: unknown, r: unknown) => boolean> = {
  '==': (l, r) => (l ?? null) === (r ?? null),
  '!=': (l, r) => (l ?? null) !== (r ?? null),
  '>': (l, r) => (l as number) > (r as number),
  '<': (l, r) => (l as number) < (r as number),
  '>=': (l, r) => (l as number) >= (r as number),
  '<=': (l, r) => (l as number) <= (r as number),
  contains: (l, r) =>
    typeof l === 'string' ? l.includes(stringify(r)) : Array.isArray(l) ? l.includes(r) : false,
};

function compileCondition(source: string): Eval {
  if (/[()]/.test(source.replace(/"[^"]*"|'[^']*'/g, ''))) throw new Unsupported();
  // Liquid groups `and`/`or` from the right: `a or b and c` is `a or (b and c)`.
  const words = source.split(/\s+(and|or)\s+/);
  const terms: Eval[] = [];
  const joins: string[] = [];
  words.forEach((word, index) => {
    if (index % 2 === 1) joins.push(word);
    else terms.push(compileComparison(word));
  });
  return (scope) => {
    let value = Boolean(terms[terms.length - 1]?.(scope));
    for (let i = terms.length - 2; i >= 0; i -= 1) {
      const left = Boolean(terms[i]?.(scope));
      value = joins[i] === 'and' ? left && value : left || value;
    }
    return value;
  };
}

function compileComparison(source: string): Eval {
  const match = /^\s*(.+?)\s+(==|!=|>=|<=|>|<|contains)\s+(.+?)\s*$/.exec(source);
  if (!match) {
    const operand = compilePath(source);
    return (scope) => !isFalsy(operand(scope));
  }
  const left = compilePath(match[1] as string);
  const right = compilePath(match[3] as string);
  const compare = comparisons[match[2] as string] as (l: unknown, r: unknown) => boolean;
  return (scope) => compare(left(scope), right(scope));
}

// ---- templates ---------------------------------------------------------------------------

type Token = { kind: 'text'; text: string } | { kind: 'output' | 'tag'; text: string };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\{\{(-?)([\s\S]*?)(-?)\}\}|\{%(-?)([\s\S]*?)(-?)%\}/g;
  let at = 0;
  let trimNext = false;
  for (const match of source.matchAll(pattern)) {
    let text = source.slice(at, match.index);
    if (trimNext) text = text.replace(/^\s+/, '');
    if (match[1] === '-' || match[4] === '-') text = text.replace(/\s+$/, '');
    if (text) tokens.push({ kind: 'text', text });
    if (match[2] !== undefined) tokens.push({ kind: 'output', text: match[2].trim() });
    else tokens.push({ kind: 'tag', text: (match[5] ?? '').trim() });
    trimNext = (match[3] ?? match[6]) === '-';
    at = match.index + match[0].length;
  }
  let tail = source.slice(at);
  if (trimNext) tail = tail.replace(/^\s+/, '');
  if (tail) tokens.push({ kind: 'text', text: tail });
  return tokens;
}

class Parser {
  at = 0;
  constructor(
    readonly tokens: Token[],
    readonly escapeOutput: boolean,
  ) {}

  /** Nodes up to one of `ends` (returned with the tag that ended them). */
  block(ends: readonly string[]): { nodes: Node[]; end: string } {
    const nodes: Node[] = [];
    while (this.at < this.tokens.length) {
      const token = this.tokens[this.at] as Token;
      this.at += 1;
      if (token.kind === 'text') {
        const text = token.text;
        nodes.push((_, out) => out.push(text));
      } else if (token.kind === 'output') {
        if (token.text === '') continue;
        const { evaluate, raw } = compileFiltered(token.text);
        const escaped = this.escapeOutput && !raw;
        nodes.push((scope, out) => {
          const text = stringify(evaluate(scope));
          out.push(escaped ? escapeHtml(text) : text);
        });
      } else {
        const name = /^\w+/.exec(token.text)?.[0] ?? '';
        if (ends.includes(name)) return { nodes, end: token.text };
        nodes.push(this.tag(name, token.text.slice(name.length).trim()));
      }
    }
    if (ends.length > 0) throw new Unsupported();
    return { nodes, end: '' };
  }

  tag(name: string, rest: string): Node {
    if (name === 'if' || name === 'unless') return this.conditional(name, rest);
    if (name === 'for') return this.loop(rest);
    if (name === 'assign') {
      const match = /^([A-Za-z_][\w-]*)\s*=\s*([\s\S]+)$/.exec(rest);
      if (!match) throw new Unsupported();
      const variable = match[1] as string;
      const { evaluate } = compileFiltered(match[2] as string);
      return (scope) => {
        (scope.vars[0] as Map<string, unknown>).set(variable, evaluate(scope));
      };
    }
    throw new Unsupported();
  }

  conditional(name: string, rest: string): Node {
    const branches: Array<{ test: Eval; nodes: Node[] }> = [];
    let otherwise: Node[] = [];
    const first = compileCondition(rest);
    let test: Eval = name === 'unless' ? (scope) => !first(scope) : first;
    const endTag = name === 'if' ? 'endif' : 'endunless';
    for (;;) {
      const { nodes, end } = this.block(['elsif', 'else', endTag]);
      branches.push({ test, nodes });
      const endName = /^\w+/.exec(end)?.[0];
      if (endName === 'elsif') {
        test = compileCondition(end.slice(5));
        continue;
      }
      if (endName === 'else') {
        if (end.trim() !== 'else') throw new Unsupported();
        const tail = this.block([endTag]);
        otherwise = tail.nodes;
      }
      break;
    }
    return (scope, out) => {
      for (const branch of branches) {
        if (branch.test(scope)) {
          for (const node of branch.nodes) node(scope, out);
          return;
        }
      }
      for (const node of otherwise) node(scope, out);
    };
  }

  loop(rest: string): Node {
    const match = /^([A-Za-z_][\w-]*)\s+in\s+(\S+)((?:\s+(?:limit|offset)\s*:\s*\S+)*)\s*$/.exec(rest);
    if (!match) throw new Unsupported();
    const variable = match[1] as string;
    const collection = compilePath(match[2] as string);
    const options = [...(match[3] ?? '').matchAll(/(limit|offset)\s*:\s*(\S+)/g)];
    const limitOf = options.find((o) => o[1] === 'limit')?.[2];
    const offsetOf = options.find((o) => o[1] === 'offset')?.[2];
    const limit = limitOf !== undefined ? compilePath(limitOf) : null;
    const offset = offsetOf !== undefined ? compilePath(offsetOf) : null;
    const body = this.block(['else', 'endfor']);
    const otherwise = body.end === 'else' ? this.block(['endfor']).nodes : [];
    if (body.end !== 'else' && body.end !== 'endfor') throw new Unsupported();
    return (scope, out) => {
      let items = enumerable(collection(scope));
      const skip = offset ? Number(offset(scope)) || 0 : 0;
      const take = limit ? Number(limit(scope)) : Number.POSITIVE_INFINITY;
      if (skip > 0 || take < items.length) items = items.slice(skip, skip + take);
      if (items.length === 0) {
        for (const node of otherwise) node(scope, out);
        return;
      }
      const vars = new Map<string, unknown>();
      scope.vars.push(vars);
      try {
        const length = items.length;
        for (let index = 0; index < length; index += 1) {
          scope.budget.loops += 1;
          if (scope.budget.loops > maxLoopIterations) {
            throw new TemplateError('template_limit', '', `more than ${maxLoopIterations} loop iterations`);
          }
          vars.set(variable, items[index]);
          vars.set('forloop', {
            index: index + 1,
            index0: index,
            rindex: length - index,
            rindex0: length - index - 1,
            first: index === 0,
            last: index === length - 1,
            length,
          });
          for (const node of body.nodes) node(scope, out);
        }
      } finally {
        scope.vars.pop();
      }
    };
  }
}

/** A closure rendering `source`, or null when it uses Liquid beyond the fast subset. */
export function compileFastLiquid(source: string, options: { escapeOutput: boolean }): FastTemplate | null {
  let nodes: Node[];
  try {
    const parser = new Parser(tokenize(source), options.escapeOutput);
    nodes = parser.block([]).nodes;
  } catch (error) {
    if (error instanceof Unsupported) return null;
    throw error;
  }
  return (root) => {
    const scope: Scope = { vars: [new Map()], root, budget: { loops: 0 } };
    const out: string[] = [];
    for (const node of nodes) node(scope, out);
    return out.join('');
  };
}
