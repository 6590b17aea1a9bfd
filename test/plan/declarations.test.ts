/** What a plan derives from a declaration is derived once, and no one can change it for the next pass. */
import { describe, expect, test } from 'vitest';
import { perDeclaration } from '../../src/core/memo.js';

describe('perDeclaration', () => {
  const counted = () => {
    let made = 0;
    const derive = perDeclaration((declaration: { Name: string; Tags?: Record<string, string> }, project: string, image: string) => {
      made++;
      return { name: `${project}/${declaration.Name}`, image, tags: { ...declaration.Tags }, keys: Object.keys(declaration.Tags ?? {}) };
    });
    return { derive, made: () => made };
  };

  test('is made once per declaration object and arguments; other arguments or another object make it again', () => {
    const { derive, made } = counted();
    const declaration = { Name: 'design', Tags: { team: 'vfx' } };
    const first = derive(declaration, 'studio', 'img-1');
    expect(derive(declaration, 'studio', 'img-1')).toBe(first);
    expect(made()).toBe(1);
    expect(derive(declaration, 'studio', 'img-2')).toEqual({ ...first, image: 'img-2' });
    // An equal declaration that is another object is derived for itself.
    expect(derive({ ...declaration }, 'studio', 'img-2')).not.toBe(first);
    expect(made()).toBe(3);
    // Arguments are told apart whole, not by their concatenation.
    const split = derive(declaration, 'stu', 'dioimg-2');
    expect(split.name).toBe('stu/design');
    expect(made()).toBe(4);
  });

  test('is frozen all the way down, so a caller that would change it fails', () => {
    const { derive } = counted();
    const value = derive({ Name: 'design', Tags: { team: 'vfx' } }, 'studio', '');
    expect(() => {
      (value.tags as Record<string, string>).team = 'other';
    }).toThrow(TypeError);
    expect(() => (value.keys as string[]).push('x')).toThrow(TypeError);
    expect(value.tags).toEqual({ team: 'vfx' });
  });
});
