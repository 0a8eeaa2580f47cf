using Acornima;
using Acornima.Ast;

namespace ScenarioKit.Engine.Expressions;

/// <summary>
/// The member chains an expression reads (<c>stage</c>, <c>cart.total</c>, <c>event.path.startsWith</c>),
/// found once at load, so a handoff can report the condition's values at the moment it fired
/// (issue 9). Each chain keeps its prefixes, longest first: a chain that ends in a method
/// (<c>event.path.startsWith</c>) is reported as the longest prefix that resolves (<c>event.path</c>).
/// </summary>
internal static class ReadPaths
{
    public static MemberPath[][] Collect(Node? root, VariableIndex index)
    {
        if (root is null) return [];
        var walker = new Walker();
        walker.Visit(root);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<MemberPath[]>();
        foreach (var chain in walker.Chains)
        {
            if (!seen.Add(string.Join('.', chain))) continue;
            var prefixes = new MemberPath[chain.Count];
            for (var k = chain.Count; k >= 1; k--)
                prefixes[chain.Count - k] = new MemberPath([.. chain.Take(k)], index);
            result.Add(prefixes);
        }
        return [.. result];
    }

    sealed class Walker : AstVisitor
    {
        public readonly List<List<string>> Chains = [];

        protected override object? VisitMemberExpression(MemberExpression node)
        {
            var parts = new List<string>();
            Acornima.Ast.Expression current = node;
            while (current is MemberExpression { Computed: false, Property: Identifier p } m)
            {
                parts.Add(p.Name);
                current = m.Object;
            }
            if (current is Identifier root)
            {
                parts.Add(root.Name);
                parts.Reverse();
                Chains.Add(parts);
                return node;
            }
            Visit(node.Object);
            if (node.Computed) Visit(node.Property);
            return node;
        }

        protected override object? VisitIdentifier(Identifier node)
        {
            if (node.Name is not ("undefined" or "NaN" or "Infinity")) Chains.Add([node.Name]);
            return node;
        }

        protected override object? VisitObjectProperty(ObjectProperty node)
        {
            if (node.Computed) Visit(node.Key);
            Visit(node.Value);
            return node;
        }
    }
}
