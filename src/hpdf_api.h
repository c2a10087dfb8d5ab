/* libharu, loaded at run time: the only place render.c and hpdf_patch.c
 * get its functions from.  libhpdf (and the libpng it pulls in) is mapped
 * by hp_load when the first PDF is made, not at start: about 1,800 of the
 * ~2,500 relocations the loader did before main, for a run that writes no
 * PDF (--version, --check, --dump-doc, a DOCX) nothing at all.
 *
 * Include after every libharu header (the names below become macros over
 * hp_api's members).  Contract: no HPDF_ function may be called before
 * hp_load has returned 0; hp_new calls it. */
#ifndef ZJ_HPDF_API_H
#define ZJ_HPDF_API_H

#include <hpdf.h>

#define HPDF_FNS(F) F(HPDF_AddPage) F(HPDF_Annot_SetRGBColor) \
	F(HPDF_Array_Add) F(HPDF_Array_AddName) F(HPDF_Array_AddNumber) \
	F(HPDF_Array_AddReal) F(HPDF_Array_Clear) F(HPDF_Array_GetItem) \
	F(HPDF_Array_New) F(HPDF_CallbackWriter_New) F(HPDF_CheckError) \
	F(HPDF_CreateOutline) F(HPDF_DictStream_New) F(HPDF_Dict_Add) \
	F(HPDF_Dict_AddName) F(HPDF_Dict_AddNumber) F(HPDF_Dict_AddReal) \
	F(HPDF_Dict_GetItem) F(HPDF_Dict_New) F(HPDF_Dict_RemoveElement) \
	F(HPDF_Error_GetCode) F(HPDF_Free) F(HPDF_FreeMem) F(HPDF_GetEncoder) \
	F(HPDF_GetMem) F(HPDF_NewEx) F(HPDF_Null_New) F(HPDF_Number_New) \
	F(HPDF_Outline_SetDestination) F(HPDF_Outline_SetOpened) \
	F(HPDF_Page_CreateDestination) F(HPDF_Page_CreateHighlightAnnot) \
	F(HPDF_SaveToStream) F(HPDF_SetCompressionMode) F(HPDF_SetCurrentEncoder) \
	F(HPDF_SetError) F(HPDF_SetInfoAttr) F(HPDF_SetInfoDateAttr) \
	F(HPDF_SetPagesConfiguration) F(HPDF_Stream_Free) F(HPDF_Stream_Write) \
	F(HPDF_Stream_WriteStr) F(HPDF_String_New) \
	F(HPDF_TextMarkupAnnot_SetQuadPoints) F(HPDF_UseUTFEncodings) \
	F(HPDF_Xref_Add)

#define HP_FN_MEMBER(f) __typeof__(&f) fn_##f;
struct hp_api {
	HPDF_FNS(HP_FN_MEMBER)
};
#undef HP_FN_MEMBER

/* The functions, once hp_load has filled them (kept for the process's
 * life); member fn_NAME is NAME. */
extern struct hp_api hp_api;

/* Loads libhpdf-2.3.0.so into hp_api on the first call (from the thread
 * that makes the first document; later calls only return the outcome).
 * Returns 0, or -1 after reporting once with EXIT_INTERNAL; too little
 * memory to map it exits 1 "out of memory" (in_oom). */
int hp_load(void);

/* From here on every call goes through hp_api. */
#define HPDF_AddPage (hp_api.fn_HPDF_AddPage)
#define HPDF_Annot_SetRGBColor (hp_api.fn_HPDF_Annot_SetRGBColor)
#define HPDF_Array_Add (hp_api.fn_HPDF_Array_Add)
#define HPDF_Array_AddName (hp_api.fn_HPDF_Array_AddName)
#define HPDF_Array_AddNumber (hp_api.fn_HPDF_Array_AddNumber)
#define HPDF_Array_AddReal (hp_api.fn_HPDF_Array_AddReal)
#define HPDF_Array_Clear (hp_api.fn_HPDF_Array_Clear)
#define HPDF_Array_GetItem (hp_api.fn_HPDF_Array_GetItem)
#define HPDF_Array_New (hp_api.fn_HPDF_Array_New)
#define HPDF_CallbackWriter_New (hp_api.fn_HPDF_CallbackWriter_New)
#define HPDF_CheckError (hp_api.fn_HPDF_CheckError)
#define HPDF_CreateOutline (hp_api.fn_HPDF_CreateOutline)
#define HPDF_DictStream_New (hp_api.fn_HPDF_DictStream_New)
#define HPDF_Dict_Add (hp_api.fn_HPDF_Dict_Add)
#define HPDF_Dict_AddName (hp_api.fn_HPDF_Dict_AddName)
#define HPDF_Dict_AddNumber (hp_api.fn_HPDF_Dict_AddNumber)
#define HPDF_Dict_AddReal (hp_api.fn_HPDF_Dict_AddReal)
#define HPDF_Dict_GetItem (hp_api.fn_HPDF_Dict_GetItem)
#define HPDF_Dict_New (hp_api.fn_HPDF_Dict_New)
#define HPDF_Dict_RemoveElement (hp_api.fn_HPDF_Dict_RemoveElement)
#define HPDF_Error_GetCode (hp_api.fn_HPDF_Error_GetCode)
#define HPDF_Free (hp_api.fn_HPDF_Free)
#define HPDF_FreeMem (hp_api.fn_HPDF_FreeMem)
#define HPDF_GetEncoder (hp_api.fn_HPDF_GetEncoder)
#define HPDF_GetMem (hp_api.fn_HPDF_GetMem)
#define HPDF_NewEx (hp_api.fn_HPDF_NewEx)
#define HPDF_Null_New (hp_api.fn_HPDF_Null_New)
#define HPDF_Number_New (hp_api.fn_HPDF_Number_New)
#define HPDF_Outline_SetDestination (hp_api.fn_HPDF_Outline_SetDestination)
#define HPDF_Outline_SetOpened (hp_api.fn_HPDF_Outline_SetOpened)
#define HPDF_Page_CreateDestination (hp_api.fn_HPDF_Page_CreateDestination)
#define HPDF_Page_CreateHighlightAnnot (hp_api.fn_HPDF_Page_CreateHighlightAnnot)
#define HPDF_SaveToStream (hp_api.fn_HPDF_SaveToStream)
#define HPDF_SetCompressionMode (hp_api.fn_HPDF_SetCompressionMode)
#define HPDF_SetCurrentEncoder (hp_api.fn_HPDF_SetCurrentEncoder)
#define HPDF_SetError (hp_api.fn_HPDF_SetError)
#define HPDF_SetInfoAttr (hp_api.fn_HPDF_SetInfoAttr)
#define HPDF_SetInfoDateAttr (hp_api.fn_HPDF_SetInfoDateAttr)
#define HPDF_SetPagesConfiguration (hp_api.fn_HPDF_SetPagesConfiguration)
#define HPDF_Stream_Free (hp_api.fn_HPDF_Stream_Free)
#define HPDF_Stream_Write (hp_api.fn_HPDF_Stream_Write)
#define HPDF_Stream_WriteStr (hp_api.fn_HPDF_Stream_WriteStr)
#define HPDF_String_New (hp_api.fn_HPDF_String_New)
#define HPDF_TextMarkupAnnot_SetQuadPoints (hp_api.fn_HPDF_TextMarkupAnnot_SetQuadPoints)
#define HPDF_UseUTFEncodings (hp_api.fn_HPDF_UseUTFEncodings)
#define HPDF_Xref_Add (hp_api.fn_HPDF_Xref_Add)

#endif
