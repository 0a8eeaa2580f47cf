using System.Numerics;

namespace ScenarioKit.Storage;

/// <summary>
/// A set of strings that can say "certainly not added" (a Bloom filter): <see cref="MayContain"/> is true for every
/// added key and, past that, for about 1 % of other keys while no more than <see cref="Capacity"/> keys were added.
/// Blocked: a key's bits all lie in one 64-bit word, so a lookup reads one word. Adds are lock-free and may run
/// beside lookups and beside each other; nothing is ever removed.
/// </summary>
sealed class KeyFilter
{
    /// <summary>Bits per key at capacity (about 1 % false positives with <see cref="BitsPerKey"/> bits set).</summary>
    const int WordBitsPerKey = 16;

    /// <summary>Bits a key sets in its word.</summary>
    const int BitsPerKey = 5;

    readonly ulong[] _words;
    long _added;

    public KeyFilter(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        // A power of two, so a word is picked by a mask.
        var words = BitOperations.RoundUpToPowerOf2((ulong)Math.Max(64, capacity * WordBitsPerKey / 64));
        _words = new ulong[words];
    }

    /// <summary>How many keys the filter takes before its false positives rise above about 1 %.</summary>
    public long Capacity { get; }

    /// <summary>How many times <see cref="Add"/> was called (a key added twice counts twice).</summary>
    public long Added => Interlocked.Read(ref _added);

    public void Add(string key)
    {
        var (word, mask) = Locate(key);
        Interlocked.Or(ref _words[word], mask);
        Interlocked.Increment(ref _added);
    }

    /// <summary>False when <paramref name="key"/> was certainly never added.</summary>
    public bool MayContain(string key)
    {
        var (word, mask) = Locate(key);
        return (Volatile.Read(ref _words[word]) & mask) == mask;
    }

    (long Word, ulong Mask) Locate(string key)
    {
        var hash = Hash(key);
        var word = (long)(hash & (ulong)(_words.LongLength - 1));
        // The bits within the word come from the hash's upper half, which the word's index did not use.
        var bits = hash >> 32;
        var mask = 0UL;
        for (var i = 0; i < BitsPerKey; i++)
        {
            mask |= 1UL << (int)(bits & 63);
            bits >>= 6;
        }
        return (word, mask);
    }

    /// <summary>
    /// FNV-1a over the UTF-16 code units, then a 64-bit finalizer (MurmurHash3's) so every output bit depends on every
    /// input bit. Not <see cref="string.GetHashCode()"/>: that gives 32 bits, and the filter needs 62.
    /// </summary>
    static ulong Hash(string key)
    {
        var h = 14695981039346656037UL;
        foreach (var c in key)
        {
            h ^= c;
            h *= 1099511628211UL;
        }
        h ^= h >> 33;
        h *= 0xff51afd7ed558ccdUL;
        h ^= h >> 33;
        h *= 0xc4ceb9fe1a85ec53UL;
        h ^= h >> 33;
        return h;
    }
}
