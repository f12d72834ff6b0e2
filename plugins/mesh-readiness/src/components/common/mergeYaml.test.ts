import { mergeYamlSnippets } from './mergeYaml';

describe('mergeYamlSnippets', () => {
  it('merges annotation blocks into one and keeps comments', () => {
    const merged = mergeYamlSnippets([
      'metadata:\n  annotations:\n    mesh-readiness.io/tracing: "full"  # one of full, partial, none',
      'metadata:\n  annotations:\n    mesh-readiness.io/opaque-ports: "5432"',
      'spec:\n  owner: "group:default/payments"',
    ]);
    expect(merged).toBe(
      [
        'metadata:',
        '  annotations:',
        '    mesh-readiness.io/tracing: "full" # one of full, partial, none',
        '    mesh-readiness.io/opaque-ports: "5432"',
        'spec:',
        '  owner: "group:default/payments"',
      ].join('\n'),
    );
  });

  it('keeps the first value when two snippets set the same key', () => {
    const merged = mergeYamlSnippets([
      'metadata:\n  annotations:\n    mesh-readiness.io/ports: "8080/http"',
      'metadata:\n  annotations:\n    mesh-readiness.io/ports: "9090/grpc"',
    ]);
    expect(merged).toContain('"8080/http"');
    expect(merged).not.toContain('9090/grpc');
  });

  it('unions lists and appends fragments that are not mappings', () => {
    const merged = mergeYamlSnippets([
      'spec:\n  dependsOn:\n    - "resource:default/prod-eu"',
      'spec:\n  dependsOn:\n    - "resource:default/prod-eu"\n    - "resource:default/prod-us"',
      '- just a list',
      'key: [unclosed',
    ]);
    expect(merged.match(/prod-eu/g)).toHaveLength(1);
    expect(merged).toContain('prod-us');
    expect(merged).toContain('---\n- just a list');
    expect(merged).toContain('key: [unclosed');
  });

  it('returns an empty string for no snippets', () => {
    expect(mergeYamlSnippets(['', '  '])).toBe('');
  });
});
