# cmake -DCXX=<compiler> -DHEADER=<file> -DMESSAGE=<text> -DSTAMP=<file> -P ExpectRefused.cmake
# Succeeds when compiling HEADER fails with MESSAGE (a build the code must refuse).
execute_process(COMMAND ${CXX} -std=c++17 -fsyntax-only -D_WIN32_WINNT=0x0A00 -x c++ ${HEADER}
  RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(status EQUAL 0)
  message(FATAL_ERROR "${CXX} compiled ${HEADER}; that build must be refused")
endif()
string(FIND "${out}" "${MESSAGE}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "${CXX} failed on ${HEADER} for another reason than \"${MESSAGE}\":\n${out}")
endif()
file(TOUCH ${STAMP})
