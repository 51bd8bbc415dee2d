namespace EdgeBroker.Core.Topics;

/// <summary>The trie node of <see cref="TopicTree{T}"/>.</summary>
public sealed partial class TopicTree<T>
{
    /// <summary>One level. Mutated only under the tree's write lock; read under its read lock.</summary>
    private sealed class Node
    {
        private Dictionary<string, Node>? _children;
        private Dictionary<string, Node>.AlternateLookup<ReadOnlySpan<char>> _lookup;

        public Node? Plus { get; private set; }

        public Node? Hash { get; private set; }

        public HashSet<T>? Values { get; set; }

        public bool IsEmpty => (Values is null || Values.Count == 0) && Plus is null && Hash is null && (_children is null || _children.Count == 0);

        public void AddValuesTo(List<T> results)
        {
            if (Values is { Count: > 0 } values)
            {
                foreach (var value in values)
                {
                    results.Add(value);
                }
            }
        }

        public bool TryGetChild(ReadOnlySpan<char> level, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Node child)
        {
            if (_children is null)
            {
                child = null;
                return false;
            }

            return _lookup.TryGetValue(level, out child);
        }

        public bool TryGetChildForWrite(ReadOnlySpan<char> level, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out Node child)
        {
            child = level switch
            {
                "+" => Plus,
                "#" => Hash,
                _ => TryGetChild(level, out var literal) ? literal : null,
            };
            return child is not null;
        }

        public Node GetOrAddChild(ReadOnlySpan<char> level)
        {
            if (level is "+")
            {
                return Plus ??= new Node();
            }

            if (level is "#")
            {
                return Hash ??= new Node();
            }

            if (_children is null)
            {
                _children = new Dictionary<string, Node>(StringComparer.Ordinal);
                _lookup = _children.GetAlternateLookup<ReadOnlySpan<char>>();
            }

            if (!_lookup.TryGetValue(level, out var child))
            {
                child = new Node();
                _lookup[level] = child;
            }

            return child;
        }

        public void RemoveChild(ReadOnlySpan<char> level)
        {
            switch (level)
            {
                case "+":
                    Plus = null;
                    break;
                case "#":
                    Hash = null;
                    break;
                default:
                    _lookup.Remove(level);
                    break;
            }
        }

        public void CollectEntries(string? prefix, List<KeyValuePair<string, T>> into)
        {
            if (prefix is not null && Values is not null)
            {
                foreach (var value in Values)
                {
                    into.Add(new(prefix, value));
                }
            }

            Plus?.CollectEntries(Join(prefix, "+"), into);
            Hash?.CollectEntries(Join(prefix, "#"), into);
            if (_children is not null)
            {
                foreach (var (level, child) in _children)
                {
                    child.CollectEntries(Join(prefix, level), into);
                }
            }
        }

        private static string Join(string? prefix, string level) => prefix is null ? level : string.Concat(prefix, "/", level);
    }
}
