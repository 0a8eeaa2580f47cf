using System.Text;
using System.Text.Json.Nodes;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Expressions;

/// <summary>A template with its holes prepared. Literal templates render to their text without any work.</summary>
internal sealed class CompiledTemplate
{
    readonly (string? Text, CompiledExpression? Expression)[] _parts;
    readonly string? _literal;

    public CompiledTemplate(Template template, VariableIndex index, List<RuntimeError> errors)
    {
        Source = template;
        _parts = [.. template.Parts.Select(p => (p.Text, p.Expression is null ? null : CompiledExpression.Prepare(p.Expression, index, errors)))];
        if (_parts.All(p => p.Expression is null))
            _literal = string.Concat(_parts.Select(p => p.Text));
    }

    public Template Source { get; }

    /// <summary>Exactly one hole and nothing else: assigning it keeps the value's type.</summary>
    public bool IsSingleExpression => _parts.Length == 1 && _parts[0].Expression is not null;

    [ThreadStatic] static StringBuilder? t_builder;

    public bool TryRender(ExpressionScope scope, RuntimeOptions options, out string text, out RuntimeError? error)
    {
        error = null;
        if (_literal is not null)
        {
            text = _literal;
            return true;
        }
        var sb = t_builder ?? new StringBuilder(128);
        t_builder = null; // not reentrant-safe otherwise: a nested render takes a fresh builder
        sb.Clear();
        try
        {
            foreach (var (literal, expression) in _parts)
            {
                if (expression is null)
                {
                    sb.Append(literal);
                    continue;
                }
                if (!expression.TryEvaluate(scope, options, out var value, out error))
                {
                    text = "";
                    return false;
                }
                value.AppendTo(sb);
            }
            text = sb.ToString();
            return true;
        }
        finally
        {
            if (sb.Capacity <= 4096) t_builder = sb;
        }
    }

    /// <summary>The value for <c>set</c> and action arguments: a single hole keeps its type, anything else is text.</summary>
    public bool TryEvaluateValue(ExpressionScope scope, RuntimeOptions options, out JsonNode? value, out RuntimeError? error)
    {
        if (IsSingleExpression)
        {
            var ok = _parts[0].Expression!.TryEvaluate(scope, options, out var v, out error);
            value = ok ? v.ToNode() : null;
            return ok;
        }
        if (TryRender(scope, options, out var text, out error))
        {
            value = JsonValue.Create(text);
            return true;
        }
        value = null;
        return false;
    }
}
