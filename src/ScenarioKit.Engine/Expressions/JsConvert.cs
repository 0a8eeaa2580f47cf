using System.Text.Json;
using System.Text.Json.Nodes;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace ScenarioKit.Engine.Expressions;

/// <summary>
/// Builds the plain JavaScript values scripts see (objects, arrays, primitives: never CLR objects)
/// and reads results back into JSON, with limits so a script cannot hand back an unbounded graph.
/// </summary>
internal static class JsConvert
{
    const int MaxDepth = 32;
    const int MaxNodes = 10_000;

    /// <summary>The value of a global an expression references, or null when the name is not in scope (JS then throws ReferenceError).</summary>
    public static JsValue? ScopeRoot(JsEngine engine, ExpressionScope scope, string root)
    {
        switch (root)
        {
            case ExpressionScope.EventName:
                return scope.HasEvent ? FromNode(engine, scope.Event) : null;
            case ExpressionScope.StageName:
                return scope.Stage is null ? JsValue.Null : new JsString(scope.Stage);
            case ExpressionScope.TextName:
                return scope.Text is null ? JsValue.Null : new JsString(scope.Text);
            case ExpressionScope.IntentRoot:
            {
                var o = new JsObject(engine);
                o.Set("name", scope.IntentName is null ? JsValue.Null : new JsString(scope.IntentName));
                o.Set("confidence", new JsNumber(scope.IntentConfidence));
                o.Set("digitalFit", scope.IntentDigitalFit is null ? JsValue.Null : new JsString(scope.IntentDigitalFit));
                return o;
            }
            case ExpressionScope.ConversationRoot:
            {
                var o = new JsObject(engine);
                o.Set("fallbackStreak", new JsNumber(scope.FallbackStreak));
                o.Set("turn", new JsNumber(scope.Turn));
                o.Set("id", new JsString(scope.ConversationId));
                return o;
            }
            case ExpressionScope.AskRoot when scope.HasAsk:
            {
                var o = new JsObject(engine);
                o.Set("attempt", new JsNumber(scope.AskAttempt));
                o.Set("maxRetries", new JsNumber(scope.AskMaxRetries));
                o.Set("retriesLeft", new JsNumber(scope.AskRetriesLeft));
                return o;
            }
            case ExpressionScope.ValueRoot when scope.HasValue:
                return FromNode(engine, scope.Candidate);
            case ExpressionScope.TodayRoot when scope.HasValue:
                return new JsString(scope.Today);
            case ExpressionScope.QueueRoot when scope.HasQueue:
            {
                var o = new JsObject(engine);
                o.Set("position", new JsNumber(scope.QueuePosition));
                o.Set("waitMinutes", new JsNumber(scope.QueueWaitMinutes));
                o.Set("name", new JsString(scope.QueueName));
                return o;
            }
        }
        if (!scope.Index.Roots.TryGetValue(root, out var names)) return null;
        // Dotted variables become nested objects: order.number + order.status → { number, status }.
        JsValue rootValue = JsValue.Undefined;
        foreach (var name in names)
        {
            if (!scope.Variables.TryGetValue(name, out var node)) continue;
            var value = FromNode(engine, node);
            if (name.Length == root.Length)
            {
                rootValue = value;
                continue;
            }
            if (rootValue is not ObjectInstance)
                rootValue = new JsObject(engine);
            var target = (ObjectInstance)rootValue;
            var segments = name.Split('.');
            for (var i = 1; i < segments.Length - 1; i++)
            {
                var next = target.Get(segments[i]);
                if (next is not ObjectInstance child)
                {
                    child = new JsObject(engine);
                    target.Set(segments[i], child);
                }
                target = child;
            }
            target.Set(segments[^1], value);
        }
        // A declared root with nothing set is still an object, so `order.number == null` is true rather than a TypeError.
        return rootValue.IsUndefined() && names.Any(n => n.Length > root.Length) ? new JsObject(engine) : rootValue;
    }

    public static JsValue FromNode(JsEngine engine, JsonNode? node)
    {
        switch (node)
        {
            case null:
                return JsValue.Null;
            case JsonObject o:
            {
                var result = new JsObject(engine);
                foreach (var (key, child) in o)
                    result.Set(key, FromNode(engine, child));
                return result;
            }
            case JsonArray a:
            {
                var items = new JsValue[a.Count];
                for (var i = 0; i < items.Length; i++) items[i] = FromNode(engine, a[i]);
                return new JsArray(engine, items);
            }
            case JsonValue v:
                return v.GetValueKind() switch
                {
                    JsonValueKind.String => new JsString(v.GetValue<string>()),
                    JsonValueKind.Number => new JsNumber(JsonValues.ToDouble(v)),
                    JsonValueKind.True => JsBoolean.True,
                    JsonValueKind.False => JsBoolean.False,
                    _ => JsValue.Null,
                };
            default:
                return JsValue.Null;
        }
    }

    public static JsonNode? FromJs(JsValue value)
    {
        var budget = MaxNodes;
        return ToNode(value, 0, ref budget);
    }

    public static Value ToValue(JsValue value) => value.Type switch
    {
        Types.Undefined => Value.Undefined,
        Types.Null => Value.Null,
        Types.Boolean => Value.Of(value.AsBoolean()),
        Types.Number => Value.Of(value.AsNumber()),
        Types.String => Value.Of(value.ToString()),
        _ when value is ObjectInstance => FromJs(value) is { } node ? Value.Of(node) : Value.Null,
        _ => throw new JavaScriptConversionException($"a {value.Type} cannot leave the sandbox"),
    };

    static JsonNode? ToNode(JsValue value, int depth, ref int budget)
    {
        if (--budget < 0) throw new JavaScriptConversionException($"the result has more than {MaxNodes} values");
        if (depth > MaxDepth) throw new JavaScriptConversionException($"the result is nested deeper than {MaxDepth}");
        switch (value.Type)
        {
            case Types.Undefined:
            case Types.Null:
                return null;
            case Types.Boolean:
                return JsonValue.Create(value.AsBoolean());
            case Types.Number:
                var d = value.AsNumber();
                return double.IsFinite(d) ? JsonValues.Number(d) : null;
            case Types.String:
                return JsonValue.Create(value.ToString());
        }
        if (value is JsArray array)
        {
            var result = new JsonArray();
            var length = array.Length;
            for (uint i = 0; i < length; i++)
                result.Add(ToNode(array.Get(i), depth + 1, ref budget));
            return result;
        }
        if (value is ObjectInstance o && !o.IsCallable())
        {
            if (o.IsDate())
                return JsonValue.Create(o.ToString());
            var result = new JsonObject();
            foreach (var key in o.GetOwnPropertyKeys(Types.String))
            {
                var descriptor = o.GetOwnProperty(key);
                if (!descriptor.Enumerable || !descriptor.IsDataDescriptor()) continue;
                result[key.ToString()] = ToNode(descriptor.Value, depth + 1, ref budget);
            }
            return result;
        }
        throw new JavaScriptConversionException($"a {(value is ObjectInstance callable && callable.IsCallable() ? "function" : value.Type.ToString())} cannot leave the sandbox");
    }
}

/// <summary>A script produced a value that cannot be represented as JSON (function, symbol, too big).</summary>
internal sealed class JavaScriptConversionException(string message) : InvalidOperationException(message);
