namespace ScenarioKit.BotFramework.Schema;

/// <summary>One JSON value kept as parts written separately (<see cref="Attachment.ContentJsonParts"/>), joined only where one span is needed.</summary>
internal static class JsonParts
{
    public static int Length(ReadOnlyMemory<byte>[] parts)
    {
        var length = 0;
        foreach (var part in parts) length += part.Length;
        return length;
    }

    /// <summary>The parts' bytes one after the other into <paramref name="into"/>, which is at least <see cref="Length"/> long.</summary>
    public static void Join(ReadOnlyMemory<byte>[] parts, Span<byte> into)
    {
        foreach (var part in parts)
        {
            part.Span.CopyTo(into);
            into = into[part.Length..];
        }
    }

    public static byte[] ToArray(ReadOnlyMemory<byte>[] parts)
    {
        var joined = new byte[Length(parts)];
        Join(parts, joined);
        return joined;
    }
}
