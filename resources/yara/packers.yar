/*
  Packers and protectors: services that encrypt an app's own code and decrypt it into memory when the app
  starts. Packed code cannot be read by a reviewer or by the other engines, which is why packers are popular
  with malware; legitimate developers use them too (against cracking), so every rule here says "suspicious",
  never "malicious".

  The markers are what a packer has to ship for the packed app to run at all: its native loader library
  (listed by name in the APK's zip directory) and its stub classes (named in classes.dex, the only code left
  in the clear). None of them is the hash or the package name of a sample.

  Externals set by the engine for every file it scans: file_kind ("apk", "dex" or "embedded") and file_name.
*/

rule Jiagu360
{
    meta:
        description = "Qihoo 360 Jiagu: its loader libraries libjiagu*.so (copied from assets/ at start) or its stub application and class loader (com.stub.StubApp, com.qihoo.util.StubApplication / QHClassLoader)"
        why = "Jiagu replaces classes.dex by a stub that decrypts the real code at run time: the code under review is not the code that runs"
        verdict = "suspicious"
    strings:
        $lib = "libjiagu"
        $stub_app = "Lcom/stub/StubApp;"
        $qihoo_app = "Lcom/qihoo/util/StubApplication;"
        $qihoo_loader = "Lcom/qihoo/util/QHClassLoader;"
    condition:
        any of them
}

rule Bangcle
{
    meta:
        description = "Bangcle / SecShell: its loader libraries libsecexe and libsecmain, its encrypted code bangcle_classes.jar, or its stub classes (com.bangcle.protect.*, com.secapk.wrapper.ApplicationWrapper)"
        why = "Bangcle keeps the real classes encrypted in assets and loads them through its own class loader: the code under review is not the code that runs"
        verdict = "suspicious"
    strings:
        $secexe = "libsecexe"
        $secmain = "libsecmain"
        $jar = "bangcle_classes.jar"
        $protect = "Lcom/bangcle/protect/"
        $wrapper = "Lcom/secapk/wrapper/ApplicationWrapper;"
    condition:
        any of them
}

rule Ijiami
{
    meta:
        description = "Ijiami (爱加密): its encrypted payload files ijiami.dat / ijiami.ajm, its loader library libexecmain.so, or its stub classes (com.shell.SuperApplication, the one-letter package s.h.e.l.l)"
        why = "Ijiami ships the real code encrypted and decrypts it at run time: the code under review is not the code that runs"
        verdict = "suspicious"
    strings:
        $dat = "ijiami.dat"
        $ajm = "ijiami.ajm"
        $execmain = "libexecmain.so"
        $super_app = "Lcom/shell/SuperApplication;"
        $shell_pkg = "Ls/h/e/l/l/"
    condition:
        any of them
}

rule APKProtect
{
    meta:
        description = "APKProtect: its native library libAPKProtect.so, the library name the stub loads (System.loadLibrary(\"APKProtect\")), or the apkprotect.net licence URL it embeds"
        why = "APKProtect hides strings and code behind a native decryptor and anti-debugging checks: what the reviewer reads is not what runs"
        verdict = "suspicious"
    strings:
        $lib = "libAPKProtect.so"
        $load = { 00 0A 41 50 4B 50 72 6F 74 65 63 74 00 }  // the DEX string "APKProtect" on its own (length 10, NUL-terminated)
        $url = "apkprotect.net"
    condition:
        any of them
}

rule TencentLegu
{
    meta:
        description = "Tencent Legu (乐固): its loader libraries libshella-*.so / libshellx-*.so or its stub entry classes (com.tencent.StubShell.*)"
        why = "Legu replaces the app's code by a stub that decrypts the real classes at run time: the code under review is not the code that runs"
        verdict = "suspicious"
    strings:
        $shella = "libshella-"
        $shellx = "libshellx-"
        $stub = "Lcom/tencent/StubShell/"
    condition:
        any of them
}
