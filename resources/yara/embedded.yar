/*
  Code hidden inside the package. Android runs the DEX files at the root of the APK (classes.dex,
  classes2.dex ...); an app that carries another APK or another DEX elsewhere (most often in assets/) can
  only run it by installing it or by loading it at run time (DexClassLoader), out of sight of a review of
  its own classes. Droppers and SMS trojans do exactly this, often under a misleading name (a ".so", no
  extension at all). Some legitimate apps bundle a plug-in APK, so the verdict is "suspicious".

  The engine scans, besides the APK and its DEX files, every other entry of the APK that starts like a zip
  archive or a DEX file, with file_kind = "embedded" and file_name = the entry's name. These rules look at
  that content, never at a sample's hash or name.
*/

rule EmbeddedApk
{
    meta:
        description = "An entry of the APK (other than Android's own classesN.dex) that is itself an Android package: a zip archive whose directory lists AndroidManifest.xml and a classesN.dex"
        why = "a second app inside the first one is installed or loaded at run time; its code is not part of what the reviewer sees"
        verdict = "suspicious"
    strings:
        $manifest = "AndroidManifest.xml"
        $dex = /classes[0-9]{0,3}\.dex/
    condition:
        file_kind == "embedded" and uint32(0) == 0x04034b50 and $manifest and $dex
}

rule EmbeddedApkDisguised
{
    meta:
        description = "An embedded Android package stored under a name that does not say so (not ending in .apk): a library name, a picture, no extension"
        why = "a misleading name only hides the package from someone looking at the file list: droppers name their payload like a native library"
        verdict = "suspicious"
    condition:
        EmbeddedApk and not (file_name iendswith ".apk")
}

rule EmbeddedDex
{
    meta:
        description = "An entry of the APK (other than Android's own classesN.dex) that is a DEX file, or a zip/jar holding classes.dex without being an APK"
        why = "DEX code outside Android's own classesN.dex runs only when the app loads it itself (DexClassLoader): dynamic code that a review of the app's classes does not see"
        verdict = "suspicious"
    strings:
        $dex = /classes[0-9]{0,3}\.dex/
    condition:
        file_kind == "embedded" and (
            uint32(0) == 0x0a786564  // "dex\n"
            or (uint32(0) == 0x04034b50 and $dex and not EmbeddedApk)
        )
}
