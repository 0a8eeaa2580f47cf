using System.Text.Json;
using ScenarioKit.Language.Syntax;

namespace ScenarioKit.Language.Binding;

/// <summary>YAML values as System.Text.Json elements (variable defaults, enum values, set literals).</summary>
internal static class YamlJson
{
    public static JsonElement ToElement(YamlNode node)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
            Write(w, node);
        using var doc = JsonDocument.Parse(buffer.ToArray());
        return doc.RootElement.Clone();
    }

    static void Write(Utf8JsonWriter w, YamlNode node)
    {
        switch (node)
        {
            case MappingNode m:
                w.WriteStartObject();
                foreach (var (k, v) in m.Entries)
                {
                    w.WritePropertyName(k.Value);
                    Write(w, v);
                }
                w.WriteEndObject();
                break;
            case SequenceNode s:
                w.WriteStartArray();
                foreach (var item in s.Items) Write(w, item);
                w.WriteEndArray();
                break;
            case ScalarNode { Kind: ScalarKind.Null }:
                w.WriteNullValue();
                break;
            case ScalarNode { Kind: ScalarKind.Boolean } b:
                w.WriteBooleanValue(b.AsBoolean == true);
                break;
            case ScalarNode { Kind: ScalarKind.Integer } i when ScalarNode.ParseInteger(i.Value) is { } l:
                w.WriteNumberValue(l);
                break;
            case ScalarNode { Kind: ScalarKind.Integer or ScalarKind.Float } f when f.AsNumber is { } n && double.IsFinite(n):
                w.WriteNumberValue(n);
                break;
            case ScalarNode s:
                // .inf/.nan have no JSON form: keep the text.
                w.WriteStringValue(s.Value);
                break;
        }
    }

    public static bool SameValue(YamlNode a, YamlNode b) => (a, b) switch
    {
        (ScalarNode x, ScalarNode y) when x.Kind is ScalarKind.Integer or ScalarKind.Float && y.Kind is ScalarKind.Integer or ScalarKind.Float => x.AsNumber == y.AsNumber,
        (ScalarNode x, ScalarNode y) => x.Kind == y.Kind && string.Equals(x.Value, y.Value, StringComparison.Ordinal),
        _ => false,
    };
}
