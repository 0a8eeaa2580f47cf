using System.Buffers.Binary;
using System.Text;

namespace ScenarioKit.Storage;

/// <summary>
/// Several logged activities in one stored value (the SQLite store keeps a turn's activities in one row, so a commit
/// appends one row per turn instead of one per activity). Each activity is its seq (8 bytes), the length of its type
/// and the type as UTF-8, the length of its JSON and the JSON; lengths are 4 bytes, all little-endian.
/// </summary>
static class PackedActivities
{
    const int SeqBytes = sizeof(long);
    const int LengthBytes = sizeof(int);

    public static byte[] Pack(IReadOnlyList<StoredActivity> activities)
    {
        var packed = new byte[Size(activities)];
        Write(activities, packed);
        return packed;
    }

    /// <summary>How many bytes <see cref="Write"/> takes for <paramref name="activities"/>.</summary>
    public static int Size(IReadOnlyList<StoredActivity> activities)
    {
        var size = 0;
        for (var i = 0; i < activities.Count; i++)
            size += SeqBytes + 2 * LengthBytes + Encoding.UTF8.GetByteCount(activities[i].Type) + activities[i].Json.Length;
        return size;
    }

    /// <summary>Packs <paramref name="activities"/> into the first <see cref="Size"/> bytes of <paramref name="span"/>.</summary>
    public static void Write(IReadOnlyList<StoredActivity> activities, Span<byte> span)
    {
        for (var i = 0; i < activities.Count; i++)
        {
            var a = activities[i];
            BinaryPrimitives.WriteInt64LittleEndian(span, a.Seq);
            var typeLength = Encoding.UTF8.GetBytes(a.Type, span[(SeqBytes + LengthBytes)..]);
            BinaryPrimitives.WriteInt32LittleEndian(span[SeqBytes..], typeLength);
            span = span[(SeqBytes + LengthBytes + typeLength)..];
            BinaryPrimitives.WriteInt32LittleEndian(span, a.Json.Length);
            a.Json.Span.CopyTo(span[LengthBytes..]);
            span = span[(LengthBytes + a.Json.Length)..];
        }
    }

    /// <summary>
    /// Adds the packed activities with <c>seq &gt; afterSeq</c> to <paramref name="list"/> until it holds
    /// <paramref name="limit"/>; each JSON is a slice of <paramref name="packed"/> (no copy).
    /// </summary>
    /// <exception cref="InvalidDataException">The value is not a list of packed activities.</exception>
    public static void Unpack(byte[] packed, long afterSeq, int limit, List<StoredActivity> list)
    {
        var offset = 0;
        while (offset < packed.Length && list.Count < limit)
        {
            var seq = BinaryPrimitives.ReadInt64LittleEndian(Take(packed, ref offset, SeqBytes));
            var type = Take(packed, ref offset, BinaryPrimitives.ReadInt32LittleEndian(Take(packed, ref offset, LengthBytes)));
            var jsonLength = BinaryPrimitives.ReadInt32LittleEndian(Take(packed, ref offset, LengthBytes));
            var jsonStart = offset;
            Take(packed, ref offset, jsonLength);
            // Activities at or before the watermark are skipped without decoding their type.
            if (seq > afterSeq) list.Add(new StoredActivity(seq, Encoding.UTF8.GetString(type), packed.AsMemory(jsonStart, jsonLength)));
        }
    }

    static ReadOnlySpan<byte> Take(byte[] packed, ref int offset, int length)
    {
        if (length < 0 || length > packed.Length - offset) throw new InvalidDataException("A stored activity row is cut short or damaged.");
        var span = packed.AsSpan(offset, length);
        offset += length;
        return span;
    }
}
