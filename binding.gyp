{
  "targets": [
    {
      "target_name": "wsfc_bridge",
      "sources": [
        "native/protocol/frame.cc",
        "native/protocol/messages.cc",
        "native/protocol/proplist.cc",
        "native/channel/frame_connection.cc",
        "native/channel/inprocess_pipe.cc",
        "native/shim/text.cc",
        "native/shim/shim_config.cc",
        "native/shim/json.cc",
        "native/shim/config_fields.cc",
        "native/shim/type_manifest.cc",
        "native/shim/type_schema.cc",
        "native/shim/type_config_json.cc",
        "native/shim/config_file.cc",
        "native/shim/monitor_callbacks.cc",
        "native/shim/pending_calls.cc",
        "native/shim/host_link.cc",
        "native/shim/type_runtime.cc",
        "native/shim/entry_points.cc",
        "native/shim/private_properties.cc",
        "native/shim/property_controls.cc",
        "native/shim/property_store.cc",
        "native/shim/property_store_mock.cc",
        "native/monitor/work_queue.cc",
        "native/monitor/monitor.cc",
        "native/monitor/monitor_callbacks.cc",
        "native/tests/contract_breaker.cc",
        "native/tests/baseline_resdll.cc",
        "native/addon/env_registry.cc",
        "native/addon/js_frames.cc",
        "native/addon/js_proplist.cc",
        "native/addon/host_endpoint.cc",
        "native/addon/host_watchdog.cc",
        "native/addon/monitor_binding.cc",
        "native/addon/addon.cc"
      ],
      "include_dirs": ["<!(node -p \"require('node-addon-api').include_dir\")"],
      "defines": ["NAPI_VERSION=8", "NODE_ADDON_API_DISABLE_DEPRECATED"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti"],
      "cflags_cc": ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-fstack-protector-strong", "-fvisibility=hidden"],
      "conditions": [
        ["OS!='win'", {
          "sources": [
            "native/platform/semaphore_posix.cc",
            "native/platform/failure_event_posix.cc",
            "native/shim/property_store_none_posix.cc",
            "native/tests/spawn_node_posix.cc",
            "native/channel/fd_stream_posix.cc",
            "native/shim/host_output_posix.cc",
            "native/shim/process_launcher_posix.cc",
            "native/shim/module_path_posix.cc",
            "native/shim/library_pin_posix.cc",
            "native/addon/inherited_channel_posix.cc"
          ],
          "libraries": ["-lpthread"]
        }],
        ["OS=='mac'", {
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "YES",
            "CLANG_CXX_LANGUAGE_STANDARD": "c++17",
            "OTHER_CPLUSPLUSFLAGS": ["-Wall", "-Wextra", "-Werror"]
          }
        }],
        ["OS=='win'", {
          "sources": [
            "native/platform/semaphore_win.cc",
            "native/platform/failure_event_win.cc",
            "native/channel/pipe_stream_win.cc",
            "native/shim/process_launcher_win.cc",
            "native/shim/module_path_win.cc",
            "native/shim/library_pin_win.cc",
            "native/shim/property_store_clusreg.cc",
            "native/addon/inherited_channel_win.cc",
            "native/tests/spawn_node_win.cc"
          ],
          "defines": ["UNICODE", "_UNICODE", "_WIN32_WINNT=0x0A00"],
          "libraries": ["clusapi.lib"],
          "msvs_settings": {
            "VCCLCompilerTool": { "ExceptionHandling": 1, "AdditionalOptions": ["/std:c++17", "/W3", "/WX", "/guard:cf", "/sdl"] }
          }
        }]
      ]
    }
  ]
}
