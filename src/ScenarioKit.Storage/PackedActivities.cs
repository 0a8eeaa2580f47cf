using System.Buffers;
using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;

namespace ScenarioKit.Storage;

/// <summary>
/// Several logged activities in one stored value (the SQLite store keeps a turn's activities in one row, so a commit
/// appends one row per turn instead of one per activity). Each activity is its seq (8 bytes), the length of its type
/// and the type as UTF-8, the length of its JSON and the JSON; lengths are 4 bytes, all little-endian. Since layout 2
/// the stored value is that pack compressed with Brotli (<see cref="Compress"/>), its packed length beside it: a turn's
/// Bot Framework JSON repeats the conversation, the two parties, the channel and the service URL in every activity,
/// and a reference turn's ≈ 2.2 KB become ≈ 0.65 KB, so a 4 KiB page holds several turns instead of one (docs/performance.md, "Session 7:
/// the writer"). Rows of layout 1 keep the pack as it is, with no length beside it.
/// </summary>
static class PackedActivities
{
    const int SeqBytes = sizeof(long);
    const int LengthBytes = sizeof(int);

    /// <summary>
    /// Brotli's fastest level: on the reference turns 29 % of the pack in ≈ 12 µs, where level 1 gives 28 % in ≈ 19 µs and
    /// level 5 23 % in ≈ 60 µs (Deflate's fastest: 32 % in ≈ 14 µs); the encoding runs on the request threads.
    /// </summary>
    const int Quality = 0;

    /// <summary>A 64 KiB window: more than a turn's activities ever span, less memory per call than the default 4 MiB.</summary>
    const int Window = 16;

    /// <summary>The activities packed and compressed: the stored value and the pack's length (which reading it needs).</summary>
    public static (byte[] Data, int PackedLength) Compress(IReadOnlyList<StoredActivity> activities)
    {
        var length = PackedLength(activities);
        var packed = ArrayPool<byte>.Shared.Rent(length);
        var compressed = ArrayPool<byte>.Shared.Rent(BrotliEncoder.GetMaxCompressedLength(length));
        try
        {
            Write(activities, packed.AsSpan(0, length));
            if (!BrotliEncoder.TryCompress(packed.AsSpan(0, length), compressed, out var written, Quality, Window))
                throw new InvalidOperationException("Brotli did not compress the activities into its own bound.");
            return (compressed.AsSpan(0, written).ToArray(), length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(packed);
            ArrayPool<byte>.Shared.Return(compressed);
        }
    }

    static int PackedLength(IReadOnlyList<StoredActivity> activities)
    {
        var length = 0;
        foreach (var a in activities) length += SeqBytes + 2 * LengthBytes + Encoding.UTF8.GetByteCount(a.Type) + a.Json.Length;
        return length;
    }

    static void Write(IReadOnlyList<StoredActivity> activities, Span<byte> span)
    {
        foreach (var a in activities)
        {
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
    /// Adds the stored activities with <c>seq &gt; afterSeq</c> to <paramref name="list"/> until it holds
    /// <paramref name="limit"/>. <paramref name="packedLength"/> is the row's length beside the value: null for a pack
    /// stored as it is (layout 1), else the length of the pack the value decompresses to.
    /// </summary>
    /// <exception cref="InvalidDataException">The value is not a list of packed activities.</exception>
    public static void Unpack(byte[] stored, int? packedLength, long afterSeq, int limit, List<StoredActivity> list) =>
        Unpack(packedLength is { } length ? Decompress(stored, length) : stored, afterSeq, limit, list);

    static byte[] Decompress(byte[] stored, int length)
    {
        if (length < 0) throw Damaged();
        var packed = new byte[length];
        if (!BrotliDecoder.TryDecompress(stored, packed, out var written) || written != length) throw Damaged();
        return packed;
    }

    /// <summary>Each JSON is a slice of <paramref name="packed"/> (no copy).</summary>
    static void Unpack(byte[] packed, long afterSeq, int limit, List<StoredActivity> list)
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
        if (length < 0 || length > packed.Length - offset) throw Damaged();
        var span = packed.AsSpan(offset, length);
        offset += length;
        return span;
    }

    static InvalidDataException Damaged() => new("A stored activity row is cut short or damaged.");
}
