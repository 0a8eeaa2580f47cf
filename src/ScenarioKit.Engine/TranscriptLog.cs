using System.Buffers;
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using System.Text.Json;

namespace ScenarioKit.Engine;

/// <summary>
/// A conversation state's transcript as a turn carries it: the entries read from the stored state are kept as the
/// UTF-8 JSON they were stored as, and decoded only when something asks for them (a handoff, a ticket, a test);
/// the entries added since are kept as objects. A turn reads and writes a state whole, and the transcript is most of
/// it (up to <see cref="RuntimeOptions.MaxTranscriptEntries"/> messages): without this, every turn decoded and
/// re-encoded every message of the conversation so far.
/// </summary>
internal sealed class TranscriptLog
{
    public static readonly TranscriptLog Empty = new([], 0, []);

    // The stored "tr" array from '[' to ']' inclusive (its elements checked when read), or empty.
    readonly byte[] _stored;
    readonly int _storedCount;
    readonly ImmutableArray<TranscriptEntry> _added;
    TranscriptEntry[]? _entries;

    TranscriptLog(byte[] stored, int storedCount, ImmutableArray<TranscriptEntry> added)
    {
        _stored = stored;
        _storedCount = storedCount;
        _added = added;
    }

    public int Count => _storedCount + _added.Length;

    /// <summary>Every entry, oldest first; decoded once, on first use.</summary>
    public ImmutableArray<TranscriptEntry> Entries
    {
        get
        {
            if (_storedCount == 0) return _added;
            var entries = Volatile.Read(ref _entries);
            if (entries is null)
            {
                entries = new TranscriptEntry[Count];
                CopyTo(entries);
                entries = Interlocked.CompareExchange(ref _entries, entries, null) ?? entries;
            }
            return ImmutableCollectionsMarshal.AsImmutableArray(entries);
        }
    }

    /// <summary>Every entry, then <paramref name="more"/>: one array, whether or not this log's entries were decoded before.</summary>
    public ImmutableArray<TranscriptEntry> With(List<TranscriptEntry> more)
    {
        var all = new TranscriptEntry[Count + more.Count];
        CopyTo(all);
        more.CopyTo(all, Count);
        return ImmutableCollectionsMarshal.AsImmutableArray(all);
    }

    void CopyTo(TranscriptEntry[] into)
    {
        if (_storedCount == 0)
        {
            _added.CopyTo(into);
            return;
        }
        if (Volatile.Read(ref _entries) is { } decoded)
        {
            decoded.CopyTo(into, 0);
            return;
        }
        var reader = new Utf8JsonReader(_stored);
        reader.Read();
        for (var i = 0; i < _storedCount; i++)
        {
            reader.Read();
            into[i] = Decode(ref reader);
        }
        _added.CopyTo(into, _storedCount);
    }

    /// <summary>This log with <paramref name="added"/> after it, keeping the last <paramref name="max"/> entries.</summary>
    public TranscriptLog Append(List<TranscriptEntry> added, int max)
    {
        if (added.Count == 0 && Count <= max) return this;
        var all = _added.AddRange(CollectionsMarshal.AsSpan(added));
        var drop = Count + added.Count - max;
        if (drop <= 0) return new(_stored, _storedCount, all);
        // Nothing stored is kept when the drop reaches past it: the rest are decoded entries already.
        if (drop >= _storedCount) return new([], 0, all.RemoveRange(0, drop - _storedCount));
        return new(DropStored(drop), _storedCount - drop, all);
    }

    // The stored array without its first `count` elements, still from '[' to ']'.
    byte[] DropStored(int count)
    {
        var reader = new Utf8JsonReader(_stored);
        reader.Read();
        for (var i = 0; i < count; i++) reader.Read();
        reader.Read();
        var from = (int)reader.TokenStartIndex;
        var kept = new byte[1 + _stored.Length - from];
        kept[0] = (byte)'[';
        _stored.AsSpan(from).CopyTo(kept.AsSpan(1));
        return kept;
    }

    /// <summary>Writes the <c>"tr"</c> property (nothing when the log is empty): the stored entries as they were read, then the added ones.</summary>
    public void WriteTo(Utf8JsonWriter writer)
    {
        if (Count == 0) return;
        // Each entry is one string: a role letter ('u' user, 'b' bot, 'a' agent) followed by the text.
        writer.WriteStartArray("tr");
        if (_storedCount > 0) writer.WriteRawValue(_stored.AsSpan(1, _stored.Length - 2), skipInputValidation: true);
        Span<char> small = stackalloc char[256];
        foreach (var entry in _added)
        {
            var role = entry.Role == TranscriptEntry.User ? 'u' : entry.Role == TranscriptEntry.Agent ? 'a' : 'b';
            var length = entry.Text.Length + 1;
            if (length <= small.Length)
            {
                small[0] = role;
                entry.Text.AsSpan().CopyTo(small[1..]);
                writer.WriteStringValue(small[..length]);
            }
            else
            {
                writer.WriteStringValue(role + entry.Text);
            }
        }
        writer.WriteEndArray();
    }

    /// <summary>
    /// Reads a <c>"tr"</c> array (the reader on its start) out of <paramref name="json"/>, the text the reader reads:
    /// every element is checked to be a string that starts with a role letter, none is decoded.
    /// </summary>
    public static TranscriptLog Read(ref Utf8JsonReader reader, ReadOnlySpan<byte> json)
    {
        ConversationState.Expect(ref reader, JsonTokenType.StartArray, "tr");
        var start = (int)reader.TokenStartIndex;
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String || !HasRole(ref reader))
                throw ConversationState.Corrupt("conversation state has a transcript entry without a role.");
            count++;
        }
        if (count == 0) return Empty;
        return new(json[start..((int)reader.TokenStartIndex + 1)].ToArray(), count, []);
    }

    // One string per entry: the text is decoded into a buffer and the role letter left out of the string.
    static TranscriptEntry Decode(ref Utf8JsonReader reader)
    {
        // A UTF-8 (or escaped) value is never shorter in bytes than in UTF-16 units.
        var bytes = reader.ValueSpan.Length;
        char[]? rented = null;
        var buffer = bytes <= 256 ? stackalloc char[256] : (rented = ArrayPool<char>.Shared.Rent(bytes));
        var length = reader.CopyString(buffer);
        var entry = new TranscriptEntry(RoleOf(buffer[0]), new string(buffer[1..length]));
        if (rented is not null) ArrayPool<char>.Shared.Return(rented);
        return entry;
    }

    static bool HasRole(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped) return reader.ValueSpan is [(byte)'u' or (byte)'b' or (byte)'a', ..];
        // An escaped first letter ("\u0075…") is valid JSON too, if unusual: decode this one to see.
        return reader.GetString() is ['u' or 'b' or 'a', ..];
    }

    static string RoleOf(char letter) => letter switch { 'u' => TranscriptEntry.User, 'a' => TranscriptEntry.Agent, _ => TranscriptEntry.Bot };
}
