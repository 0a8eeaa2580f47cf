using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace ScenarioKit.Storage;

/// <summary>
/// A SQLite VFS over the process's default one that gathers a commit's WAL writes into one system call per 124 KiB.
/// SQLite writes each WAL frame as two <c>pwrite</c>s (its 24-byte header, then the page), ≈ 90 per batch of the store's
/// writer; on a host where a system call is dear that was over a quarter of the serial writer's CPU
/// (docs/performance.md, "Session 14"). Used by the writer connection alone, and only with <c>synchronous=FULL</c>.
/// <para>
/// Only files SQLite opens as a WAL are wrapped; every other file is the default VFS's own, untouched. A wrapped file
/// keeps appended writes in memory while they follow on from each other, and writes them out as one before any other
/// operation on that file: a read, a sync, a truncate, its size, a file control, a write elsewhere, its close. What is
/// on disk when the sync returns is therefore exactly what SQLite would have written itself. It is also what other
/// connections may read: under <c>FULL</c> SQLite syncs the WAL before a commit's frames enter the WAL index, so no
/// reader is ever pointed at a frame still held here. Under <c>NORMAL</c> there is no such sync, which is why the store
/// asks for this VFS only with <c>FULL</c>.
/// </para>
/// </summary>
static unsafe class WalWriteVfs
{
    public const string Name = "scenariokit-wal";

    const int SqliteOk = 0;
    const int OpenWal = 0x00080000;

    /// <summary>
    /// Appended writes held per WAL file before they are written out (30 frames of 4 KiB pages). The default VFS on
    /// Unix writes at most 128 KiB − 1 in one call (it masks larger counts) and reports a longer write as a full disk.
    /// </summary>
    const int Capacity = 124 * 1024;

    static readonly Lazy<bool> Registered = new(Register);

    static Vfs* s_root;
    static IoMethods* s_methods;
    static long s_held;
    static long s_written;

    /// <summary>Writes SQLite made to WAL files of this VFS, and writes this VFS passed on to the default one (for tests).</summary>
    internal static (long Held, long Written) Writes => (Interlocked.Read(ref s_held), Interlocked.Read(ref s_written));

    /// <summary>True when the VFS is registered (once per process); false where it cannot be (no default VFS, Windows).</summary>
    public static bool Available => Registered.Value;

    /// <summary>The <c>file:</c> URI that opens <paramref name="path"/> through this VFS (SQLite's URI rules: <c>%</c>, <c>?</c> and <c>#</c> escaped).</summary>
    public static string Uri(string path)
    {
        var uri = new StringBuilder("file:", path.Length + 32);
        foreach (var c in path)
        {
            switch (c)
            {
                case '%': uri.Append("%25"); break;
                case '?': uri.Append("%3F"); break;
                case '#': uri.Append("%23"); break;
                default: uri.Append(c); break;
            }
        }
        return uri.Append("?vfs=").Append(Name).ToString();
    }

    static bool Register()
    {
        // Windows paths need a different URI form and this has only been measured on Linux.
        if (OperatingSystem.IsWindows()) return false;
        // Microsoft.Data.Sqlite loads and initialises the library on its first connection; this makes sure of it.
        SQLitePCL.Batteries_V2.Init();
        var root = Native.sqlite3_vfs_find(null);
        if (root is null || root->SizeOfFile <= 0) return false;

        var methods = (IoMethods*)NativeMemory.AllocZeroed((nuint)sizeof(IoMethods));
        // Version 1: a WAL file is never memory-mapped (xFetch) and has no shared memory of its own (xShm*).
        methods->Version = 1;
        methods->Close = &Close;
        methods->Read = &Read;
        methods->Write = &Write;
        methods->Truncate = &Truncate;
        methods->Sync = &Sync;
        methods->FileSize = &FileSize;
        methods->Lock = &Lock;
        methods->Unlock = &Unlock;
        methods->CheckReservedLock = &CheckReservedLock;
        methods->FileControl = &FileControl;
        methods->SectorSize = &SectorSize;
        methods->DeviceCharacteristics = &DeviceCharacteristics;

        // The default VFS's every field, with this one's name, a larger file object and its own open.
        var vfs = (Vfs*)NativeMemory.AllocZeroed((nuint)sizeof(Vfs));
        *vfs = *root;
        vfs->Version = Math.Min(root->Version, 3);
        vfs->Next = null;
        vfs->SizeOfFile = sizeof(WalFile) + root->SizeOfFile;
        var name = Encoding.ASCII.GetBytes(Name + "\0");
        vfs->Name = (byte*)NativeMemory.Alloc((nuint)name.Length);
        name.CopyTo(new Span<byte>(vfs->Name, name.Length));
        vfs->Open = &Open;

        s_root = root;
        s_methods = methods;
        // Never unregistered, so its memory is never freed: SQLite may hold these pointers until the process ends.
        return Native.sqlite3_vfs_register(vfs, 0) == SqliteOk;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Open(Vfs* vfs, byte* name, SqliteFile* file, int flags, int* outFlags)
    {
        var root = s_root;
        // Not a WAL: the default VFS's own file in the (larger) space SQLite gave, nothing of this VFS in its path.
        if ((flags & OpenWal) == 0) return root->Open(root, name, file, flags, outFlags);

        var wal = (WalFile*)file;
        var real = (SqliteFile*)(wal + 1);
        wal->Methods = null;
        var rc = root->Open(root, name, real, flags, outFlags);
        if (rc != SqliteOk)
        {
            // SQLite closes a file whose methods are set even when its open failed; the wrapper's are not set yet.
            if (real->Methods is not null) real->Methods->Close(real);
            return rc;
        }
        wal->Real = real;
        wal->Buffer = null;
        wal->Length = 0;
        wal->Offset = 0;
        wal->Methods = s_methods;
        return SqliteOk;
    }

    /// <summary>Writes out what is held; the held bytes are gone either way (a failed write fails the transaction).</summary>
    static int Flush(WalFile* wal)
    {
        if (wal->Length == 0) return SqliteOk;
        var length = wal->Length;
        wal->Length = 0;
        return WriteThrough(wal, wal->Buffer, length, wal->Offset);
    }

    /// <summary>The default VFS's file under a wrapped one, once what the wrapper held is written out (rc: that write's result).</summary>
    static SqliteFile* Flushed(SqliteFile* file, out int rc)
    {
        var wal = (WalFile*)file;
        rc = Flush(wal);
        return wal->Real;
    }

    /// <summary>The default VFS's file under a wrapped one: the calls that never touch what is held go straight to it.</summary>
    static SqliteFile* RealOf(SqliteFile* file) => ((WalFile*)file)->Real;

    static int WriteThrough(WalFile* wal, void* data, int amount, long offset)
    {
        Interlocked.Increment(ref s_written);
        return wal->Real->Methods->Write(wal->Real, data, amount, offset);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Write(SqliteFile* file, void* data, int amount, long offset)
    {
        var wal = (WalFile*)file;
        Interlocked.Increment(ref s_held);
        if (wal->Length > 0 && (offset != wal->Offset + wal->Length || amount > Capacity - wal->Length))
        {
            var rc = Flush(wal);
            if (rc != SqliteOk) return rc;
        }
        if (amount > Capacity) return WriteThrough(wal, data, amount, offset);
        if (wal->Buffer is null)
        {
            try
            {
                wal->Buffer = (byte*)NativeMemory.Alloc(Capacity);
            }
            catch (OutOfMemoryException)
            {
                // No exception may leave a callback of SQLite's: without a buffer, the write goes straight through.
                return WriteThrough(wal, data, amount, offset);
            }
        }
        if (wal->Length == 0) wal->Offset = offset;
        Buffer.MemoryCopy(data, wal->Buffer + wal->Length, Capacity - wal->Length, amount);
        wal->Length += amount;
        return SqliteOk;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Close(SqliteFile* file)
    {
        var wal = (WalFile*)file;
        var flushed = Flush(wal);
        NativeMemory.Free(wal->Buffer);
        wal->Buffer = null;
        var closed = wal->Real->Methods->Close(wal->Real);
        return flushed != SqliteOk ? flushed : closed;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Read(SqliteFile* file, void* data, int amount, long offset)
    {
        var real = Flushed(file, out var rc);
        return rc != SqliteOk ? rc : real->Methods->Read(real, data, amount, offset);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Truncate(SqliteFile* file, long size)
    {
        var real = Flushed(file, out var rc);
        return rc != SqliteOk ? rc : real->Methods->Truncate(real, size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Sync(SqliteFile* file, int flags)
    {
        var real = Flushed(file, out var rc);
        return rc != SqliteOk ? rc : real->Methods->Sync(real, flags);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int FileSize(SqliteFile* file, long* size)
    {
        var real = Flushed(file, out var rc);
        return rc != SqliteOk ? rc : real->Methods->FileSize(real, size);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int FileControl(SqliteFile* file, int op, void* argument)
    {
        var real = Flushed(file, out var rc);
        return rc != SqliteOk ? rc : real->Methods->FileControl(real, op, argument);
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Lock(SqliteFile* file, int level) => RealOf(file)->Methods->Lock(RealOf(file), level);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int Unlock(SqliteFile* file, int level) => RealOf(file)->Methods->Unlock(RealOf(file), level);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int CheckReservedLock(SqliteFile* file, int* result) => RealOf(file)->Methods->CheckReservedLock(RealOf(file), result);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int SectorSize(SqliteFile* file) => RealOf(file)->Methods->SectorSize(RealOf(file));

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    static int DeviceCharacteristics(SqliteFile* file) => RealOf(file)->Methods->DeviceCharacteristics(RealOf(file));

    // sqlite3.h's structures, as laid out on a 64-bit platform (a pointer and an int64 on 8 bytes).

    [StructLayout(LayoutKind.Sequential)]
    internal struct SqliteFile
    {
        public IoMethods* Methods;
    }

    /// <summary>A wrapped WAL file: the header SQLite sees, then the default VFS's own file object right after it.</summary>
    [StructLayout(LayoutKind.Sequential)]
    struct WalFile
    {
        public IoMethods* Methods;
        public SqliteFile* Real;
        public byte* Buffer;
        public long Offset;
        public int Length;
        int _padding;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct IoMethods
    {
        public int Version;
        public delegate* unmanaged[Cdecl]<SqliteFile*, int> Close;
        public delegate* unmanaged[Cdecl]<SqliteFile*, void*, int, long, int> Read;
        public delegate* unmanaged[Cdecl]<SqliteFile*, void*, int, long, int> Write;
        public delegate* unmanaged[Cdecl]<SqliteFile*, long, int> Truncate;
        public delegate* unmanaged[Cdecl]<SqliteFile*, int, int> Sync;
        public delegate* unmanaged[Cdecl]<SqliteFile*, long*, int> FileSize;
        public delegate* unmanaged[Cdecl]<SqliteFile*, int, int> Lock;
        public delegate* unmanaged[Cdecl]<SqliteFile*, int, int> Unlock;
        public delegate* unmanaged[Cdecl]<SqliteFile*, int*, int> CheckReservedLock;
        public delegate* unmanaged[Cdecl]<SqliteFile*, int, void*, int> FileControl;
        public delegate* unmanaged[Cdecl]<SqliteFile*, int> SectorSize;
        public delegate* unmanaged[Cdecl]<SqliteFile*, int> DeviceCharacteristics;
        public void* ShmMap;
        public void* ShmLock;
        public void* ShmBarrier;
        public void* ShmUnmap;
        public void* Fetch;
        public void* Unfetch;
    }

    [StructLayout(LayoutKind.Sequential)]
    internal struct Vfs
    {
        public int Version;
        public int SizeOfFile;
        public int MaxPathname;
        public Vfs* Next;
        public byte* Name;
        public void* AppData;
        public delegate* unmanaged[Cdecl]<Vfs*, byte*, SqliteFile*, int, int*, int> Open;
        public void* Delete;
        public void* Access;
        public void* FullPathname;
        public void* DlOpen;
        public void* DlError;
        public void* DlSym;
        public void* DlClose;
        public void* Randomness;
        public void* Sleep;
        public void* CurrentTime;
        public void* GetLastError;
        public void* CurrentTimeInt64;
        public void* SetSystemCall;
        public void* GetSystemCall;
        public void* NextSystemCall;
    }

    static class Native
    {
        // The library Microsoft.Data.Sqlite's provider loads (SQLitePCLRaw's e_sqlite3 bundle).
        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
        public static extern Vfs* sqlite3_vfs_find(byte* name);

        [DllImport("e_sqlite3", CallingConvention = CallingConvention.Cdecl)]
        public static extern int sqlite3_vfs_register(Vfs* vfs, int makeDefault);
    }
}
