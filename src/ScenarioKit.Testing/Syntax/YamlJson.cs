using System.Buffers;
using System.Text.Json;

namespace ScenarioKit.Testing.Syntax;

/// <summary>Converts YAML nodes to JSON values by the YAML 1.2 core schema (quoted scalars stay strings).</summary>
internal static class YamlJson
{
    public static JsonElement ToJson(YNode node)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
            Write(writer, node);
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        return doc.RootElement.Clone();
    }

    /// <summary>A scalar read as a string whatever its YAML type (for string variables: <c>order.number: 12345678</c>).</summary>
    public static JsonElement StringOf(YScalar scalar) => JsonSerializer.SerializeToElement(scalar.Value);

    static void Write(Utf8JsonWriter writer, YNode node)
    {
        switch (node)
        {
            case YMapping m:
                writer.WriteStartObject();
                foreach (var e in m.Entries)
                {
                    writer.WritePropertyName(e.Key.Value);
                    Write(writer, e.Value);
                }
                writer.WriteEndObject();
                break;
            case YSequence s:
                writer.WriteStartArray();
                foreach (var item in s.Items) Write(writer, item);
                writer.WriteEndArray();
                break;
            case YScalar scalar:
                switch (YamlTree.ScalarValue(scalar))
                {
                    case null: writer.WriteNullValue(); break;
                    case bool b: writer.WriteBooleanValue(b); break;
                    case long l: writer.WriteNumberValue(l); break;
                    case double d when double.IsFinite(d): writer.WriteNumberValue(d); break;
                    default: writer.WriteStringValue(scalar.Value); break;
                }
                break;
        }
    }
}
