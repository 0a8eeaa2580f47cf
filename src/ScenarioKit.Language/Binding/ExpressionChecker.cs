using System.Collections.Frozen;
using Acornima;
using Acornima.Ast;
using ScenarioKit.Language.Diagnostics;
using ScenarioKit.Model;

namespace ScenarioKit.Language.Binding;

/// <summary>
/// Parses every expression once with Acornima (the parser Jint runs, so what compiles here parses at
/// runtime), strict mode. Positions: Acornima's ParseError.Index is a 0-based offset into the expression
/// text; we add the expression's offset inside the YAML scalar and map through the scalar (the one
/// adapter between conventions). Columns are never taken from Acornima (they are 0-based).
/// </summary>
internal sealed class ExpressionChecker
{
    const int MaxExpressionLength = 4096;
    const int MaxScriptLength = 65536;
    const int MaxNesting = 128;

    /// <summary>Names every expression sees besides the variables (docs/language.md "Expressions") and the JavaScript globals Jint provides.</summary>
    static readonly FrozenSet<string> Builtins = new[]
    {
        "event", "stage", "intent", "text", "conversation",
        "Math", "JSON", "Number", "String", "Boolean", "Array", "Object", "Date", "RegExp", "Map", "Set", "Symbol", "BigInt", "Intl",
        "parseInt", "parseFloat", "isNaN", "isFinite", "undefined", "NaN", "Infinity", "encodeURIComponent", "decodeURIComponent",
        "encodeURI", "decodeURI", "globalThis",
    }.ToFrozenSet(StringComparer.Ordinal);

    static readonly string[] ReservedRoots = ["event", "stage", "intent", "text", "conversation", "ask", "queue"];

    static readonly string[] QueueMembers = ["position", "waitMinutes", "name"];

    readonly DiagnosticBag d;
    readonly Parser parser = new(new ParserOptions { EcmaVersion = EcmaVersion.ES2023 });
    readonly Parser scriptParser = new(new ParserOptions { EcmaVersion = EcmaVersion.ES2023, AllowReturnOutsideFunction = true });
    readonly FrozenSet<string> variables;
    readonly FrozenSet<string> namespaces;
    readonly IReadOnlyDictionary<string, ActionScope> actions;

    /// <summary>
    /// The names an action's templates may use besides variables, and how to explain a missing one: its
    /// params (declared, or for an HTTP action without <c>params</c> the names its calls pass) and its calls.
    /// </summary>
    internal sealed record ActionScope(HashSet<string> Parameters, Localized Params, Localized Calls);

    /// <summary>Per action, the names its templates use that are not variables: what its <c>params</c> must list.</summary>
    public Dictionary<string, SortedSet<string>> ParameterUses { get; } = new(StringComparer.Ordinal);

    public ExpressionChecker(DiagnosticBag diagnostics, IEnumerable<string> variableNames, IReadOnlyDictionary<string, ActionScope> actions)
    {
        d = diagnostics;
        variables = variableNames.ToFrozenSet(StringComparer.Ordinal);
        var ns = new HashSet<string>(StringComparer.Ordinal);
        foreach (var v in variables)
            for (var i = v.IndexOf('.', StringComparison.Ordinal); i >= 0; i = v.IndexOf('.', i + 1))
                ns.Add(v[..i]);
        namespaces = ns.ToFrozenSet(StringComparer.Ordinal);
        this.actions = actions;
    }

    internal static IReadOnlyList<string> Reserved => ReservedRoots;

    public void Check(ExprSite site)
    {
        var source = site.Expression.Source;
        if (source.Length > MaxExpressionLength)
        {
            d.Report(DiagnosticCatalog.ExpressionSyntax, site.Expression.Span,
                new Localized($"the expression is longer than {MaxExpressionLength} characters", $"式が {MaxExpressionLength} 文字を超えています"));
            return;
        }
        if (TooDeep(source) is { } deep)
        {
            d.Report(DiagnosticCatalog.ExpressionSyntax, site.Node.SpanOf(site.Offset + deep, site.Offset + deep + 1),
                new Localized($"brackets nest deeper than {MaxNesting} levels", $"括弧の入れ子が {MaxNesting} 段を超えています"));
            return;
        }
        Acornima.Ast.Expression ast;
        try
        {
            ast = parser.ParseExpression(source, null, true);
        }
        catch (ParseErrorException e)
        {
            var at = site.Offset + Math.Clamp(e.Error.IsIndexDefined ? e.Error.Index : 0, 0, source.Length);
            d.Report(DiagnosticCatalog.ExpressionSyntax, site.Node.SpanOf(at, Math.Min(at + 1, site.Offset + source.Length)), new Localized(e.Error.Description, e.Error.Description));
            return;
        }
        var walker = new Walker();
        walker.Visit(ast);
        if (walker.Forbidden is { } bad)
        {
            d.Report(DiagnosticCatalog.NotAnExpression, site.Node.SpanOf(site.Offset + bad.Start, site.Offset + bad.End), ForbiddenName(bad));
            return;
        }
        foreach (var chain in walker.Chains) CheckChain(site, chain);
        if (site.Scope == ExprScope.Validate && !walker.Chains.Any(chain => chain.Segments[0] == "value"))
            // unit test: Golden/flow/validate-ignores-value.yaml
            d.Report(DiagnosticCatalog.ValidateIgnoresValue, site.Expression.Span);
    }

    void CheckChain(ExprSite site, Walker.Chain chain)
    {
        var root = chain.Segments[0];
        if (Builtins.Contains(root)) return;
        if (root == "ask" && site.Scope == ExprScope.Retry) return;
        if (root is "value" or "today" && site.Scope == ExprScope.Validate) return;
        if (root == "queue")
        {
            // unit test: Golden/expressions/queue-outside-waiting.yaml, Golden/expressions/queue-unknown-member.yaml
            if (site.Scope != ExprScope.Waiting)
                d.Report(DiagnosticCatalog.QueueOutsideWaiting, site.Node.SpanOf(site.Offset + chain.Start, site.Offset + chain.Ends[^1]), string.Join('.', chain.Segments));
            else if (chain.Segments.Count > 1 && !QueueMembers.Contains(chain.Segments[1]))
                d.Report(DiagnosticCatalog.UnknownQueueMember, site.Node.SpanOf(site.Offset + chain.Start, site.Offset + chain.Ends[1]), chain.Segments[1],
                    Localized.DidYouMean(Suggest.Closest(chain.Segments[1], QueueMembers)));
            return;
        }
        var action = site.Scope == ExprScope.Action && site.Action is not null && actions.TryGetValue(site.Action, out var a) ? a : null;
        if (action is not null && !variables.Contains(root) && !namespaces.Contains(root))
            Use(site.Action!, root);
        if (action is not null && action.Parameters.Contains(root)) return;
        var name = root;
        for (var i = 0; ; i++)
        {
            if (i > 0) name += "." + chain.Segments[i];
            if (variables.Contains(name)) return;
            if (!namespaces.Contains(name)) break;
            if (i == chain.Segments.Count - 1) return; // the object holding several variables, e.g. 'order'
        }
        var end = chain.Ends[Math.Min(name.Count(c => c == '.'), chain.Ends.Count - 1)];
        if (action is not null)
        {
            // An action's template: the missing name is a parameter the action lacks, not a variable to declare (issue 10).
            d.Report(DiagnosticCatalog.MissingActionParameter, site.Node.SpanOf(site.Offset + chain.Start, site.Offset + chain.Ends[0]),
                site.Action, root, action.Params, action.Calls);
            return;
        }
        d.Report(DiagnosticCatalog.UnknownVariable, site.Node.SpanOf(site.Offset + chain.Start, site.Offset + end), name,
            Localized.DidYouMean(Suggest.Closest(name, variables)));
    }

    void Use(string action, string name)
    {
        if (!ParameterUses.TryGetValue(action, out var names)) ParameterUses[action] = names = new(StringComparer.Ordinal);
        names.Add(name);
    }

    public void CheckScript(ScriptSite site)
    {
        var source = site.Node.Value;
        if (source.Length > MaxScriptLength)
        {
            d.Report(DiagnosticCatalog.ScriptSyntax, site.Node.Span, new Localized($"the script is longer than {MaxScriptLength} characters", $"スクリプトが {MaxScriptLength} 文字を超えています"));
            return;
        }
        if (TooDeep(source) is { } deep)
        {
            d.Report(DiagnosticCatalog.ScriptSyntax, site.Node.SpanOf(deep, deep + 1), new Localized($"brackets nest deeper than {MaxNesting} levels", $"括弧の入れ子が {MaxNesting} 段を超えています"));
            return;
        }
        try
        {
            scriptParser.ParseScript(source, null, true);
        }
        catch (ParseErrorException e)
        {
            var at = Math.Clamp(e.Error.IsIndexDefined ? e.Error.Index : 0, 0, source.Length);
            d.Report(DiagnosticCatalog.ScriptSyntax, site.Node.SpanOf(at, Math.Min(at + 1, source.Length)), new Localized(e.Error.Description, e.Error.Description));
        }
    }

    /// <summary>Offset of the first bracket nested deeper than the limit (the parser recurses per level), or null.</summary>
    static int? TooDeep(string source)
    {
        var depth = 0;
        for (var i = 0; i < source.Length; i++)
        {
            var ch = source[i];
            if (ch is '(' or '[' or '{')
            {
                if (++depth > MaxNesting) return i;
            }
            else if (ch is ')' or ']' or '}') depth = Math.Max(0, depth - 1);
        }
        return null;
    }

    static Localized ForbiddenName(Node node) => node switch
    {
        AssignmentExpression => new("an assignment", "代入"),
        UpdateExpression => new("'++'/'--'", "'++'/'--'"),
        ArrowFunctionExpression or FunctionExpression => new("a function", "関数"),
        ClassExpression => new("a class", "クラス"),
        YieldExpression or AwaitExpression => new("'yield'/'await'", "'yield'/'await'"),
        ImportExpression => new("'import'", "'import'"),
        _ => new("'delete'", "'delete'"),
    };

    /// <summary>Collects static member chains (a.b.c) rooted at free identifiers, and the first forbidden node.</summary>
    sealed class Walker : AstVisitor
    {
        public sealed record Chain(List<string> Segments, int Start, List<int> Ends);

        public readonly List<Chain> Chains = [];
        public Node? Forbidden;

        protected override object? VisitMemberExpression(MemberExpression node)
        {
            // Flatten a.b.c: the innermost object must be an identifier for a static chain.
            var parts = new List<MemberExpression>();
            Acornima.Ast.Expression current = node;
            while (current is MemberExpression { Computed: false, Property: Identifier } m)
            {
                parts.Add(m);
                current = m.Object;
            }
            if (current is Identifier root && parts.Count > 0)
            {
                parts.Reverse();
                var segments = new List<string> { root.Name };
                var ends = new List<int> { root.End };
                foreach (var p in parts)
                {
                    segments.Add(((Identifier)p.Property).Name);
                    ends.Add(p.Property.End);
                }
                Chains.Add(new Chain(segments, root.Start, ends));
                // Computed parts above the chain (a.b[c]) are visited through their own nodes.
                return node;
            }
            Visit(node.Object);
            if (node.Computed) Visit(node.Property);
            return node;
        }

        protected override object? VisitIdentifier(Identifier node)
        {
            Chains.Add(new Chain([node.Name], node.Start, [node.End]));
            return node;
        }

        protected override object? VisitObjectProperty(ObjectProperty node)
        {
            // A plain key ({ a: 1 }) names no variable; a shorthand value ({ order }) and computed keys do.
            if (node.Computed) Visit(node.Key);
            Visit(node.Value);
            return node;
        }

        protected override object? VisitAssignmentExpression(AssignmentExpression node) => Forbid(node);
        protected override object? VisitArrowFunctionExpression(ArrowFunctionExpression node) => Forbid(node);
        protected override object? VisitFunctionExpression(FunctionExpression node) => Forbid(node);
        protected override object? VisitClassExpression(ClassExpression node) => Forbid(node);
        protected override object? VisitYieldExpression(YieldExpression node) => Forbid(node);
        protected override object? VisitAwaitExpression(AwaitExpression node) => Forbid(node);
        protected override object? VisitImportExpression(ImportExpression node) => Forbid(node);

        protected override object? VisitUnaryExpression(UnaryExpression node)
        {
            if (node is UpdateExpression || node.Operator == Operator.Delete) return Forbid(node);
            return base.VisitUnaryExpression(node);
        }

        object? Forbid(Node node)
        {
            Forbidden ??= node;
            return node;
        }
    }
}
