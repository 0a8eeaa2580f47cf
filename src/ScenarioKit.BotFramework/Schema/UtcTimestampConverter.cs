using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScenarioKit.BotFramework.Schema;

/// <summary>Writes <c>timestamp</c> as ISO-8601 UTC with a <c>Z</c> suffix (§1); reads any ISO-8601 offset.</summary>
internal sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    internal const string Format = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.GetString();
        if (!TryParse(text, out var value)) throw new JsonException($"timestamp '{text}' is not an ISO-8601 date.");
        return value;
    }

    internal static bool TryParse(string? text, out DateTimeOffset value)
    {
        value = default;
        return text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind | DateTimeStyles.AssumeUniversal, out value);
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options)
    {
        Span<byte> buffer = stackalloc byte[Length];
        writer.WriteStringValue(FormatUtf8(value, buffer));
    }

    /// <summary>The length of a timestamp as <see cref="Format"/> writes it.</summary>
    internal const int Length = 24;

    /// <summary>
    /// Writes <paramref name="value"/> as <see cref="Format"/> does (milliseconds truncated), digit by digit: a custom
    /// format string is parsed again on every call, and every activity logged carries a timestamp.
    /// </summary>
    internal static ReadOnlySpan<byte> FormatUtf8(DateTimeOffset value, Span<byte> destination)
    {
        var t = value.UtcDateTime;
        var d = destination[..Length];
        Field(d, 0, 4, t.Year, '-');
        Field(d, 5, 2, t.Month, '-');
        Field(d, 8, 2, t.Day, 'T');
        Field(d, 11, 2, t.Hour, ':');
        Field(d, 14, 2, t.Minute, ':');
        Field(d, 17, 2, t.Second, '.');
        Field(d, 20, 3, t.Millisecond, 'Z');
        return d;

        // The field's digits at [start, start + width), zero-padded, then the character that follows it.
        static void Field(Span<byte> target, int start, int width, int number, char next)
        {
            for (var i = start + width - 1; i >= start; i--, number /= 10) target[i] = (byte)('0' + number % 10);
            target[start + width] = (byte)next;
        }
    }
}
